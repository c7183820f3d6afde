export { PipelineModule } from './pipeline.module';
export type { PipelineStage, StageContext, StageResult } from './stages/pipeline-stage';
export { PIPELINE_STAGES, PermanentStageError } from './stages/pipeline-stage';
