import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  SchedulerCreatePost, SchedulerDeletePost, SchedulerGetPost, SchedulerListPosts, SchedulerPostAgain, SchedulerRestorePost, SchedulerSchedulePost, SchedulerUpdatePost,
  SchedulerValidatePost,
} from '@sx/contracts';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { MinRole } from '../../auth/roles.decorator';
import { jsonSchemaOf } from '../../http/zod.pipe';
import { CommandProxy } from '../../proxy/command-proxy.service';
import { bodyObject, queryToRequest } from './scheduler-query';

/** Posts: content + target accounts, soft delete/restore, publish now. Served by the scheduler over the bus. */
@ApiTags('posts')
@Controller('posts')
export class PostsController {
  constructor(private readonly proxy: CommandProxy) {}

  @Get()
  @ApiOperation({ summary: 'List posts, newest first (keyset pagination: limit, cursor; includeDeleted, label)' })
  list(@CurrentPrincipal() p: Principal, @Query() q: Record<string, unknown>) {
    return this.proxy.call(SchedulerListPosts, p, queryToRequest(q));
  }

  @Post()
  @MinRole('editor')
  @ApiOperation({ summary: 'Create a post (text, hashtags, media ids, per-platform overrides, labels, targets)' })
  create(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.proxy.call(SchedulerCreatePost, p, body);
  }

  // Declared before `POST :id` (the deprecated edit alias), which would otherwise take "validate" as an id.
  @Post('validate')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Pre-flight check without storing: { post: {text, hashtags, mediaIds, overrides, targets} } or { postId }, optional when + zone → per-target { ok, violations: [{ rule, message, field?, limit?, actual? }] }',
  })
  @ApiBody({ schema: jsonSchemaOf(SchedulerValidatePost.request) })
  validate(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.proxy.call(SchedulerValidatePost, p, bodyObject(body));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One post with its publish jobs and their history' })
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.proxy.call(SchedulerGetPost, p, { id });
  }

  @Patch(':id')
  @MinRole('editor')
  @ApiOperation({ summary: 'Edit a post\'s content: fields left out keep their value, `title: null` clears the title, `[]` clears a list' })
  patch(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: unknown) {
    return this.proxy.call(SchedulerUpdatePost, p, { ...bodyObject(body), id });
  }

  @Post(':id')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deprecated alias of PATCH /api/posts/{id} (same partial-edit semantics)', deprecated: true })
  update(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: unknown) {
    return this.proxy.call(SchedulerUpdatePost, p, { ...bodyObject(body), id });
  }

  @Delete(':id')
  @MinRole('editor')
  @ApiOperation({ summary: 'Soft-delete a post; its unfired jobs are cancelled' })
  remove(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.proxy.call(SchedulerDeletePost, p, { id });
  }

  @Post(':id/restore')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore a deleted post (future jobs come back)' })
  restore(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.proxy.call(SchedulerRestorePost, p, { id });
  }

  @Post(':id/post-again')
  @MinRole('editor')
  @ApiOperation({ summary: 'Post again: publish the post once more to all its targets (`when` now or at a time); the only way to re-post a published post' })
  @ApiBody({ required: false, schema: jsonSchemaOf(SchedulerPostAgain.request.omit({ id: true })) })
  postAgain(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: unknown) {
    return this.proxy.call(SchedulerPostAgain, p, { ...bodyObject(body), id });
  }

  @Post(':id/instant-publish')
  @MinRole('editor')
  @ApiOperation({ summary: 'Publish the post to all its targets now' })
  instantPublish(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: unknown) {
    return this.proxy.call(SchedulerSchedulePost, p, { zone: 'UTC', ...bodyObject(body), postId: id, when: { mode: 'now' } });
  }
}
