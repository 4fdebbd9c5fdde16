import { mediaUrl, splitKey, type MediaItem } from '../lib/media-model';

const LABEL: Record<string, string> = {
  'input-audio': 'A · the clip (input)',
  'predicted-audio': 'B · predicted notes, piano',
  'log-mel': 'log-mel input',
  'piano-roll': 'piano roll: target vs predicted',
  timing: 'timing offsets: target vs predicted',
};

/** Small rasters are shown at twice their size (pixelated; log-mel images as they are), never wider than 560 px. */
function shownWidth(width: unknown, what: string): number | undefined {
  if (typeof width !== 'number') return undefined;
  return width < 300 && what !== 'log-mel' ? width * 2 : Math.min(width, 560);
}

/** One media item: `<audio controls>` for WAV, `<img>` for PNG, with its label, step and caption. */
export function MediaItemView({ item, label }: { item: MediaItem; label?: string }) {
  const { what } = splitKey(item.key);
  const title = label ?? LABEL[what] ?? what;
  return (
    <figure
      className="media-item"
      data-testid="media-item"
      data-key={item.key}
      data-step={item.step}
      data-mime={item.mime}
    >
      <figcaption className="media-title">
        {title}{' '}
        <span className="muted">
          · step {item.step}
          {item.epoch !== null ? ` · epoch ${item.epoch}` : ''}
        </span>
      </figcaption>
      {item.mime === 'audio/wav' ? (
        <audio controls preload="metadata" src={mediaUrl(item)} aria-label={`${title}, step ${item.step}`} />
      ) : (
        <img
          src={mediaUrl(item)}
          alt={`${title}, step ${item.step}`}
          className={
            what === 'log-mel' || what === 'piano-roll' || what.startsWith('confusion')
              ? 'pixelated'
              : undefined
          }
          width={shownWidth(item.meta.width, what)}
          height={
            typeof item.meta.height === 'number'
              ? Math.round(
                  (item.meta.height * (shownWidth(item.meta.width, what) ?? 1)) /
                    ((item.meta.width as number) || 1),
                )
              : undefined
          }
        />
      )}
      {item.caption && <div className="media-caption muted">{item.caption}</div>}
    </figure>
  );
}
