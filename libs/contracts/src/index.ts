export * from './define';
export * from './envelope';
export * from './common';
export * from './events/media.events';
export * from './events/pipeline.events';
export * from './events/post.events';
export * from './events/system.events';
export * from './commands/ai.commands';
export { EVENT_CATALOGUE, COMMAND_CATALOGUE } from './catalogue';
