import { MatDialog } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';
import { ScheduledPost } from '../../core/api/posts.api';
import type { ComposerData } from './composer.dialog';

/** Opens the composer lazily (its code loads only when first used). */
export async function openComposer(dialog: MatDialog, data: ComposerData = {}): Promise<ScheduledPost | undefined> {
  const { ComposerDialog } = await import('./composer.dialog');
  const ref = dialog.open<InstanceType<typeof ComposerDialog>, ComposerData, ScheduledPost>(ComposerDialog, {
    data,
    width: 'min(960px, 96vw)',
    maxWidth: '96vw',
    autoFocus: 'first-tabbable',
  });
  return firstValueFrom(ref.afterClosed());
}
