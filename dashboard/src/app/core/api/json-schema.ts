/** The subset of JSON Schema a plugin's credential/settings schema may use. */
export interface JsonSchema {
  type?: 'object' | 'string' | 'number' | 'integer' | 'boolean';
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: (string | number)[];
  default?: string | number | boolean;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  /** Rendered as a password field and never echoed back (`secret` is the plugin SDK's marker). */
  writeOnly?: boolean;
  secret?: boolean;
}
