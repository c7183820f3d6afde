/**
 * What each platform accepts, from ../shared/platforms/*.md. `aspect` is the allowed width/height
 * range; images outside it are centre-cropped to the nearest bound.
 */
export interface PlatformPreset {
  image: { maxEdge: number; maxBytes: number; aspect?: [number, number] };
  video?: { maxEdge: number; maxBytes: number; maxDurationS: number; aspect?: [number, number] };
}

export const PLATFORM_PRESETS: Record<string, PlatformPreset> = {
  bluesky: { image: { maxEdge: 2000, maxBytes: 1_000_000 }, video: { maxEdge: 1920, maxBytes: 100_000_000, maxDurationS: 180 } },
  x: { image: { maxEdge: 4096, maxBytes: 5_000_000 }, video: { maxEdge: 1920, maxBytes: 512_000_000, maxDurationS: 140 } },
  mastodon: { image: { maxEdge: 3840, maxBytes: 16_000_000 }, video: { maxEdge: 1920, maxBytes: 99_000_000, maxDurationS: 3600 } },
  instagram: {
    image: { maxEdge: 1440, maxBytes: 8_000_000, aspect: [0.8, 1.91] },
    video: { maxEdge: 1920, maxBytes: 300_000_000, maxDurationS: 900, aspect: [0.5625, 1.91] },
  },
  threads: { image: { maxEdge: 1440, maxBytes: 8_000_000 }, video: { maxEdge: 1920, maxBytes: 1_000_000_000, maxDurationS: 300 } },
  facebook: { image: { maxEdge: 2048, maxBytes: 4_000_000 }, video: { maxEdge: 1920, maxBytes: 1_000_000_000, maxDurationS: 90 } },
  linkedin: { image: { maxEdge: 4096, maxBytes: 8_000_000 }, video: { maxEdge: 1920, maxBytes: 500_000_000, maxDurationS: 1800 } },
  pinterest: { image: { maxEdge: 2000, maxBytes: 20_000_000, aspect: [0.5, 1.5] }, video: { maxEdge: 1920, maxBytes: 1_000_000_000, maxDurationS: 900 } },
  tiktok: { image: { maxEdge: 1920, maxBytes: 20_000_000 }, video: { maxEdge: 1920, maxBytes: 4_000_000_000, maxDurationS: 600, aspect: [0.5, 1] } },
  youtube: { image: { maxEdge: 2560, maxBytes: 2_000_000 }, video: { maxEdge: 3840, maxBytes: 256_000_000_000, maxDurationS: 43_200 } },
  telegram: { image: { maxEdge: 2560, maxBytes: 10_000_000 }, video: { maxEdge: 1920, maxBytes: 50_000_000, maxDurationS: 3600 } },
  discord: { image: { maxEdge: 4096, maxBytes: 10_000_000 }, video: { maxEdge: 1920, maxBytes: 10_000_000, maxDurationS: 3600 } },
  slack: { image: { maxEdge: 4096, maxBytes: 50_000_000 }, video: { maxEdge: 1920, maxBytes: 1_000_000_000, maxDurationS: 3600 } },
  reddit: { image: { maxEdge: 4096, maxBytes: 20_000_000 }, video: { maxEdge: 1920, maxBytes: 1_000_000_000, maxDurationS: 900 } },
  webhook: { image: { maxEdge: 4096, maxBytes: 20_000_000 }, video: { maxEdge: 1920, maxBytes: 1_000_000_000, maxDurationS: 3600 } },
};

/** Crop box that brings width/height inside the aspect range, centred; null when already inside. */
export function cropForAspect(width: number, height: number, range?: [number, number]): { left: number; top: number; width: number; height: number } | null {
  if (!range) return null;
  const ratio = width / height;
  if (ratio < range[0]) {
    const h = Math.round(width / range[0]);
    return { left: 0, top: Math.floor((height - h) / 2), width, height: h };
  }
  if (ratio > range[1]) {
    const w = Math.round(height * range[1]);
    return { left: Math.floor((width - w) / 2), top: 0, width: w, height };
  }
  return null;
}
