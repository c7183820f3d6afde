import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { AbstractControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { SchemaField, errorText } from './schema-form';

/** Renders a plugin's credential/settings JSON schema as Material fields (no per-plugin UI code). */
@Component({
  selector: 'sx-schema-form',
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, MatSelectModule, MatCheckboxModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `:host { display: grid; gap: 8px; }`,
  template: `
    <ng-container [formGroup]="form()">
      @for (f of fields(); track f.key) {
        @switch (f.kind) {
          @case ('boolean') {
            <mat-checkbox [formControlName]="f.key">{{ f.label }}</mat-checkbox>
          }
          @case ('select') {
            <mat-form-field>
              <mat-label>{{ f.label }}</mat-label>
              <mat-select [formControlName]="f.key" [required]="f.required">
                @for (o of f.options; track o) {
                  <mat-option [value]="o">{{ o }}</mat-option>
                }
              </mat-select>
              @if (f.description) { <mat-hint>{{ f.description }}</mat-hint> }
              <mat-error>{{ error(f) }}</mat-error>
            </mat-form-field>
          }
          @default {
            <mat-form-field>
              <mat-label>{{ f.label }}</mat-label>
              <input
                matInput
                [type]="f.kind === 'password' ? 'password' : f.kind === 'number' ? 'number' : f.kind === 'url' ? 'url' : f.kind === 'email' ? 'email' : 'text'"
                [formControlName]="f.key"
                [required]="f.required"
                [attr.autocomplete]="f.kind === 'password' ? 'new-password' : 'off'"
                [attr.data-testid]="'field-' + f.key"
              />
              @if (f.description) { <mat-hint>{{ f.description }}</mat-hint> }
              <mat-error>{{ error(f) }}</mat-error>
            </mat-form-field>
          }
        }
      } @empty {
        <p class="sx-muted">This plugin needs no credentials.</p>
      }
    </ng-container>
  `,
})
export class SchemaFormComponent {
  readonly fields = input.required<SchemaField[]>();
  readonly form = input.required<FormGroup<Record<string, AbstractControl>>>();
  protected error(f: SchemaField): string {
    return errorText(f, this.form().get(f.key));
  }
}
