/** The template every workspace starts with (seed 001, "Default Template to Pre-populate"). */
export const DEFAULT_TEMPLATE_NAME = 'Gaming clip (default)';

export const DEFAULT_TEMPLATE_TEXT = `You are a social media expert creating engaging content for gaming videos.

Given a video filename: {filename}
Game context: {game_context}

Generate:
1. An exciting, click-worthy title (max 100 chars)
2. An engaging caption with emojis (max 2200 chars)
3. 10-15 relevant hashtags

Format as JSON:
{
  "title": "...",
  "caption": "...",
  "hashtags": "#gaming #..."
}`;
