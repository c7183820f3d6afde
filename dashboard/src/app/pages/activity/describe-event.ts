import { DateTime } from 'luxon';
import { DomainEvent } from '../../core/events/event-stream.service';

export interface EventLine {
  id: string;
  icon: string;
  text: string;
  time: string;
  subject: string;
}

const s = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** One human line per domain event (never includes payload secrets: events carry none). */
export function describeEvent(e: DomainEvent): EventLine {
  const d = e.data;
  const base = { id: e.id, subject: e.subject, time: DateTime.fromISO(e.occurredAt).toFormat('HH:mm:ss') };
  switch (e.subject) {
    case 'media.uploaded':
      return { ...base, icon: 'upload', text: `Uploaded ${s(d['filename'])}` };
    case 'media.ready':
      return { ...base, icon: 'task_alt', text: `${s(d['filename'])} is ready` };
    case 'media.rejected':
      return { ...base, icon: 'block', text: `${s(d['filename'])} rejected: ${s(d['reason'])}` };
    case 'media.deleted':
      return { ...base, icon: 'delete', text: 'Media deleted' };
    case 'post.scheduled':
      return { ...base, icon: 'schedule', text: 'Post scheduled' };
    case 'post.publishing':
      return { ...base, icon: 'send', text: `Publishing to ${s(d['platform'])}` };
    case 'post.published':
      return { ...base, icon: 'check_circle', text: `Published to ${s(d['platform'])}` };
    case 'post.failed':
      return { ...base, icon: 'error', text: `Failed on ${s(d['platform'])}: ${s(d['message'])}` };
    case 'post.retrying':
      return { ...base, icon: 'replay', text: `Retrying on ${s(d['platform'])}: ${s(d['message'])}` };
    case 'post.unknown':
      return { ...base, icon: 'help', text: `Outcome unknown on ${s(d['platform'])}` };
    case 'post.state.changed':
      return { ...base, icon: 'swap_horiz', text: `${s(d['platform'])}: ${s(d['from'])} → ${s(d['to'])}` };
    case 'pipeline.run.started':
      return { ...base, icon: 'play_arrow', text: `Pipeline ${s(d['pipeline'])} started` };
    case 'pipeline.run.finished':
      return { ...base, icon: 'flag', text: `Pipeline ${s(d['pipeline'])} ${s(d['status'])}` };
    case 'pipeline.stage.changed':
      return { ...base, icon: 'account_tree', text: `Stage ${s(d['stage'])}: ${s(d['status'])}` };
    case 'alert.raised':
      return { ...base, icon: 'warning', text: s(d['message']) };
    case 'plugin.health.changed':
      return { ...base, icon: 'extension', text: `Plugin ${s(d['pluginId'])} is ${s(d['status'])}` };
    case 'audit.recorded':
      return { ...base, icon: 'history', text: `${s(d['action'])} ${s(d['target'])} (${s(d['outcome'])})` };
    default:
      return { ...base, icon: 'bolt', text: e.subject };
  }
}
