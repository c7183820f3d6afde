export { AiTemplatesModule } from './ai-templates.module';
