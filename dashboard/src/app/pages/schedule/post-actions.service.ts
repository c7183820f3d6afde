import { Injectable, inject } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { PostsApi, ScheduledPost } from '../../core/api/posts.api';
import { Notify } from '../../core/util/notify.service';
import { confirmAction } from '../../shared/confirm-dialog/confirm-dialog.component';
import { openComposer } from '../composer/open-composer';
import { RescheduleData, RescheduleDialogComponent } from './reschedule-dialog.component';
import { ResolveData, ResolveDialogComponent, ResolveResult } from './resolve-dialog.component';
import { PostsStore } from './posts.store';

export type PostAction = 'postNow' | 'reschedule' | 'cancel' | 'retry' | 'resolve' | 'delete' | 'restore' | 'edit' | 'again' | 'open';

/** Runs the schedule actions with confirmation where they are destructive, and toasts the result. */
@Injectable()
export class PostActions {
  private readonly api = inject(PostsApi);
  private readonly dialog = inject(MatDialog);
  private readonly notify = inject(Notify);
  private readonly store = inject(PostsStore);
  private readonly router = inject(Router);

  async run(action: PostAction, post: ScheduledPost): Promise<void> {
    try {
      switch (action) {
        case 'postNow':
          this.store.replace(await this.api.postNow(post.id));
          return this.notify.ok('Publishing now');
        case 'reschedule':
          return await this.reschedule(post);
        case 'edit':
        case 'again': {
          const saved = await openComposer(this.dialog, { post, mode: action });
          if (saved) this.store.replace(saved);
          return;
        }
        case 'open':
          return void (await this.router.navigate(['/posts', post.id]));
        case 'cancel':
          // The card of a cancelled post offers Edit, which schedules it again: the promise below holds.
          if (!(await this.confirm('Cancel this post?', 'It will not be published. You can edit it and schedule it again later.', 'Cancel post'))) return;
          await this.api.cancel(post.id);
          this.store.replace(await this.api.get(post.id));
          return this.notify.ok('Post cancelled');
        case 'retry':
          this.store.replace(await this.api.retry(post));
          return this.notify.ok('Retry queued');
        case 'resolve':
          return await this.resolve(post);
        case 'delete':
          if (!(await this.confirm('Delete this post?', 'It moves to the trash and can be restored.', 'Delete'))) return;
          await this.api.remove(post.id);
          this.store.drop(post.id);
          return this.notify.ok('Post deleted');
        case 'restore':
          this.store.replace(await this.api.restore(post.id));
          return this.notify.ok('Post restored');
      }
    } catch (err) {
      this.notify.error(err);
    }
  }

  private async reschedule(post: ScheduledPost): Promise<void> {
    const ref = this.dialog.open<RescheduleDialogComponent, RescheduleData, RescheduleData>(RescheduleDialogComponent, {
      data: { dueAt: post.dueAt, zone: post.zone },
    });
    const picked = await firstValueFrom(ref.afterClosed());
    if (!picked) return;
    this.store.replace(await this.api.reschedule(post.id, picked.dueAt, picked.zone));
    this.notify.ok('Post rescheduled');
  }

  private async resolve(post: ScheduledPost): Promise<void> {
    const target = post.targets.find((t) => t.state === 'unknown');
    if (!target) return;
    const ref = this.dialog.open<ResolveDialogComponent, ResolveData, ResolveResult>(ResolveDialogComponent, {
      data: { platform: target.platform, reason: target.reason ?? null },
    });
    const res = await firstValueFrom(ref.afterClosed());
    if (!res) return;
    this.store.replace(await this.api.resolve(post.id, target.jobId, res.outcome, res.url || undefined, res.platformPostId || undefined));
    this.notify.ok('Outcome recorded');
  }

  private confirm(title: string, message: string, confirm: string): Promise<boolean> {
    return confirmAction(this.dialog, { title, message, confirm, danger: true });
  }
}
