import { useTranslation } from 'react-i18next';
import type { MeasureRange } from '@therapy-field/sync';
import { formatDate } from '../../lib/time';

export interface ScorePoint {
  id: string;
  at: string;
  score: number;
}

const WIDTH = 600;
const HEIGHT = 200;
const PAD = 24;

/** Scores over time as a line over the measure's bands; the points are listed too, for screen readers. */
export function ScoreChart({ measure, points, maxScore, ranges }: { measure: string; points: ScorePoint[]; maxScore: number; ranges: MeasureRange[] }) {
  const { t, i18n } = useTranslation('measures');
  if (points.length === 0) return <p className="muted">{t('noScores')}</p>;
  const x = (index: number) => PAD + (points.length === 1 ? (WIDTH - 2 * PAD) / 2 : (index * (WIDTH - 2 * PAD)) / (points.length - 1));
  const y = (score: number) => HEIGHT - PAD - (score / Math.max(maxScore, 1)) * (HEIGHT - 2 * PAD);
  const label = t('chartLabel', { measure });
  return (
    <figure className="score-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} width="100%">
        {ranges.map((range) => (
          <rect key={range.interpretation} x={PAD} width={WIDTH - 2 * PAD} y={y(range.max)} height={Math.max(1, y(range.min) - y(range.max))} className={`band band-${range.severity}`} opacity={0.12} />
        ))}
        <polyline fill="none" stroke="currentColor" strokeWidth={2} points={points.map((point, index) => `${x(index)},${y(point.score)}`).join(' ')} />
        {points.map((point, index) => (
          <circle key={point.id} cx={x(index)} cy={y(point.score)} r={4} fill="currentColor" />
        ))}
      </svg>
      <figcaption>
        <ol className="score-list" aria-label={label}>
          {points.map((point) => (
            <li key={point.id}>
              <time dateTime={point.at}>{formatDate(point.at, i18n.language)}</time>: {t('scoreValue', { score: point.score, max: maxScore })}
            </li>
          ))}
        </ol>
      </figcaption>
    </figure>
  );
}
