export { PublisherModule, PUBLISHER_SCHEMA } from './publisher.module';
export { PluginHost, PLUGIN_HOST_OPTIONS, type PluginHostOptions } from './host/plugin-host.service';
