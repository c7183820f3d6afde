import * as fs from 'node:fs';
import { z } from 'zod';
import { AppError } from '@sx/service-kit';

export type PipelineDefinitions = Record<string, string[]>;

/** validate → probe → renditions → thumbnail → AI metadata → hand to scheduler (when auto-schedule is on). */
export const DEFAULT_PIPELINES: PipelineDefinitions = {
  default: ['validate', 'probe', 'renditions', 'thumbnail', 'ai-metadata', 'schedule'],
  metadata: ['validate', 'probe', 'ai-metadata'],
  renditions: ['validate', 'renditions', 'thumbnail'],
};

const fileSchema = z.record(z.string().regex(/^[a-z0-9_-]{1,100}$/), z.array(z.string().min(1)).min(1).max(30));

/** Built-in pipelines plus the ones named in a JSON file (`SX_PIPELINES_FILE`), checked against known stages. */
export function loadPipelineDefinitions(knownStages: string[], file?: string): PipelineDefinitions {
  const defs: PipelineDefinitions = { ...DEFAULT_PIPELINES };
  if (file) {
    const parsed = fileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    Object.assign(defs, parsed.data);
  }
  for (const [name, stages] of Object.entries(defs)) {
    const unknown = stages.filter((s) => !knownStages.includes(s));
    if (unknown.length) throw new Error(`pipeline "${name}" names unknown stages: ${unknown.join(', ')}`);
    if (new Set(stages).size !== stages.length) throw new Error(`pipeline "${name}" lists a stage twice`);
  }
  return defs;
}

/** The stage list a run executes: the whole pipeline, or the one stage asked for. */
export function stagesForRun(defs: PipelineDefinitions, pipeline: string, onlyStage?: string): string[] {
  const stages = defs[pipeline];
  if (!stages) {
    throw new AppError('unknown_pipeline', `There is no pipeline named "${pipeline}"`, 404, { known: Object.keys(defs) });
  }
  if (onlyStage === undefined) return stages;
  if (!stages.includes(onlyStage)) {
    throw new AppError('unknown_stage', `Pipeline "${pipeline}" has no stage "${onlyStage}"`, 422, { stages });
  }
  return [onlyStage];
}
