import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const AI_SCHEMA = 'ai_templates';

@Entity({ name: 'templates', schema: AI_SCHEMA })
@Index('templates_one_active_per_workspace', ['workspaceId'], { unique: true, where: '"is_active"' })
export class TemplateEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'prompt_text', type: 'text' })
  promptText!: string;

  @Column({ name: 'is_active', type: 'boolean', default: false })
  isActive!: boolean;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  variables!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'generations', schema: AI_SCHEMA })
@Index('generations_by_workspace', ['workspaceId', 'createdAt'])
export class GenerationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @Column({ name: 'template_id', type: 'uuid', nullable: true })
  templateId!: string | null;

  @Column({ type: 'text' })
  provider!: string;

  @Column({ type: 'jsonb' })
  variables!: Record<string, string>;

  @Column({ type: 'jsonb', nullable: true })
  output!: Record<string, unknown> | null;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  @Column({ type: 'int' })
  attempts!: number;

  @Column({ name: 'elapsed_ms', type: 'int' })
  elapsedMs!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
