import type { CommandDefinition, EventDefinition } from './define';
import * as media from './events/media.events';
import * as pipeline from './events/pipeline.events';
import * as post from './events/post.events';
import * as system from './events/system.events';
import * as ai from './commands/ai.commands';
import * as mediaCommands from './commands/media.commands';
import * as publisherCommands from './commands/publisher.commands';
import * as gatewayCommands from './commands/gateway.commands';
import * as schedulerCommands from './commands/scheduler.commands';
import * as schedulerViews from './commands/scheduler-views.commands';
import * as pipelineCommands from './commands/pipeline.commands';
import * as deadLetterCommands from './commands/dead-letters.commands';

/** Every event the system emits; consumers validate against `schema` on receipt. */
export const EVENT_CATALOGUE: readonly EventDefinition[] = ([
  ...Object.values(media),
  ...Object.values(pipeline),
  ...Object.values(post),
  ...Object.values(system),
  ...Object.values(schedulerCommands),
] as unknown[]).filter((d): d is EventDefinition => (d as EventDefinition).kind === 'event');

export const COMMAND_CATALOGUE: readonly CommandDefinition[] = ([
  ...Object.values(ai),
  ...Object.values(mediaCommands),
  ...Object.values(publisherCommands),
  ...Object.values(gatewayCommands),
  ...Object.values(schedulerCommands),
  ...Object.values(schedulerViews),
  ...Object.values(pipelineCommands),
  ...Object.values(deadLetterCommands),
] as unknown[]).filter(
  (d): d is CommandDefinition => (d as CommandDefinition).kind === 'command',
);
