/**
 * The audit log records the HTTP route of each action (`POST /api/posts/:id/restore`). People read
 * what was done instead: a known route gets a sentence, any other a verb and its resource words.
 */
const KNOWN: Record<string, string> = {
  'POST /api/auth/setup': 'Created the workspace',
  'POST /api/auth/login': 'Signed in',
  'POST /api/auth/logout': 'Signed out',
  'POST /api/auth/refresh': 'Renewed a session',
  'POST /api/me/password': 'Changed their password',
  'POST /api/users': 'Added a person to the team',
  'PATCH /api/users/:id': "Changed a person's role or access",
  'POST /api/workspaces': 'Created a workspace',
  'POST /api/api-keys': 'Created an API key',
  'DELETE /api/api-keys/:id': 'Revoked an API key',
  'POST /api/accounts/connect': 'Started connecting an account',
  'POST /api/accounts/oauth/callback': 'Finished connecting an account',
  'POST /api/accounts/:id/disconnect': 'Disconnected an account',
  'POST /api/accounts/credentials/rotate': 'Re-encrypted account credentials',
  'PUT /api/schedule/slots/:accountId': 'Changed posting times',
  'POST /api/posts': 'Wrote a post',
  'PATCH /api/posts/:id': 'Edited a post',
  'DELETE /api/posts/:id': 'Deleted a post',
  'POST /api/posts/:id/restore': 'Restored a post',
  'POST /api/posts/:id/post-again': 'Posted a post again',
  'POST /api/schedule': 'Scheduled a post',
  'POST /api/schedule/post': 'Scheduled a post',
  'PATCH /api/schedule/post/:id': 'Rescheduled a post',
  'PATCH /api/scheduled-posts/:id': 'Rescheduled a post',
  'DELETE /api/schedule/post/:id': 'Cancelled a post',
  'POST /api/schedule/post/:id/force': 'Published a post now',
  'POST /api/scheduled-posts/:id/instant-publish': 'Published a post now',
  'POST /api/schedule/jobs/:id/retry': 'Retried a failed post',
  'POST /api/schedule/jobs/:id/resolve': 'Settled an uncertain post',
  'POST /api/schedule/space': 'Spread posts over free slots',
  'POST /api/schedule/tasks': 'Created a recurring schedule',
  'PATCH /api/schedule/tasks/:id': 'Changed a recurring schedule',
  'PUT /api/schedule/tasks/:id': 'Changed a recurring schedule',
  'DELETE /api/schedule/tasks/:id': 'Deleted a recurring schedule',
  'POST /api/schedule/tasks/:id/pause': 'Paused a recurring schedule',
  'POST /api/schedule/tasks/:id/resume': 'Resumed a recurring schedule',
  'POST /api/schedule/tasks/:id/execute': 'Ran a recurring schedule now',
  'POST /api/files/uploads': 'Uploaded a file',
  'POST /api/files/import': 'Imported a file from a link',
  'PATCH /api/files/:id': 'Edited a file',
  'DELETE /api/files/:id': 'Deleted a file',
  'POST /api/files/:id/restore': 'Restored a file',
  'POST /api/run-pipeline': 'Ran the pipeline',
  'POST /api/pipeline/import': 'Imported posts from a spreadsheet',
  'POST /api/pipeline/runs/:id/retry': 'Retried a pipeline step',
  'POST /api/run-scheduler': 'Checked for due posts',
  'POST /api/ai/templates': 'Created an AI template',
  'PATCH /api/ai/templates/:id': 'Edited an AI template',
  'PUT /api/ai/templates/:id': 'Edited an AI template',
  'DELETE /api/ai/templates/:id': 'Deleted an AI template',
  'POST /api/ai/templates/:id/activate': 'Chose the active AI template',
  'POST /api/ai/test-prompt': 'Tried an AI template',
};

const VERB: Record<string, string> = { GET: 'Looked at', POST: 'Did', PUT: 'Set', PATCH: 'Changed', DELETE: 'Removed' };

export function describeAuditAction(action: string): string {
  const normal = action.replace(/\/+$/, '');
  if (KNOWN[normal]) return KNOWN[normal];
  const [method = '', path = ''] = normal.split(' ');
  const words = path
    .split('/')
    .filter((s) => s && s !== 'api' && !s.startsWith(':') && !s.startsWith('{'))
    .map((s) => s.replace(/[-_]/g, ' '));
  return `${VERB[method] ?? method} ${words.join(' ') || 'something'}`.trim();
}

/** Filter choices: the known actions, by sentence. */
export const AUDIT_ACTIONS = Object.entries(KNOWN)
  .map(([action, text]) => ({ action, text }))
  .sort((a, b) => a.text.localeCompare(b.text));
