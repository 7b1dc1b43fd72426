import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { dailyAverages } from '../lib/daily-average';

/** A day of the chart; `weekAverage` (the 7 days ending on it) draws a second line when given. */
export interface MoodChartDay {
  day: string;
  average: number | null;
  weekAverage?: number | null;
}

/**
 * The daily average as a line (uPlot), with the numbers in its accessible name: of the last 30 days
 * of `entries`, or of `days` as the server computed them (insights).
 */
export default function MoodChart({ entries = [], days: given, emptyText }: { entries?: Array<{ recordedAt: string; moodScore: number }>; days?: MoodChartDay[]; emptyText?: string }) {
  const { t, i18n } = useTranslation('common');
  const holder = useRef<HTMLDivElement>(null);
  const days: MoodChartDay[] = given ?? dailyAverages(entries, 30);
  const withWeek = days.some((day) => day.weekAverage != null);
  const logged = days.filter((day) => day.average !== null);
  const average = logged.length ? (logged.reduce((sum, day) => sum + day.average!, 0) / logged.length).toFixed(1) : '–';
  const key = JSON.stringify(days);

  useEffect(() => {
    const element = holder.current;
    if (!element || logged.length === 0) return;
    const xs = days.map((day) => Date.parse(`${day.day}T12:00:00+02:00`) / 1000);
    const ys = days.map((day) => day.average);
    const locale = i18n.language === 'el' ? 'el-GR' : 'en-GB';
    const dayLabel = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'Europe/Athens' });
    const plot = new uPlot(
      {
        width: element.clientWidth,
        height: 220,
        legend: { show: false },
        cursor: { show: true, points: { size: 8 } },
        scales: { x: { time: true }, y: { range: [0, 10] } },
        axes: [
          { values: (_, ticks) => ticks.map((tick) => dayLabel.format(new Date(tick * 1000))), stroke: '#5b6b69', grid: { stroke: '#e6e1d8' } },
          { values: (_, ticks) => ticks.map(String), stroke: '#5b6b69', grid: { stroke: '#e6e1d8' }, size: 36 },
        ],
        series: [
          {},
          { label: t('moodChart.dailyAverage'), stroke: '#2f6f6a', width: 2.5, fill: 'rgba(47,111,106,0.12)', spanGaps: true, points: { size: 6, fill: '#2f6f6a' } },
          ...(withWeek ? [{ label: t('moodChart.weekAverage'), stroke: '#b5651d', width: 2, dash: [6, 4], spanGaps: true, points: { show: false } }] : []),
        ],
      },
      (withWeek ? [xs, ys, days.map((day) => day.weekAverage ?? null)] : [xs, ys]) as uPlot.AlignedData,
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height: 220 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, i18n.language]);

  if (logged.length === 0) return <p className="muted">{emptyText ?? t('moodChart.empty')}</p>;
  const label = given
    ? t('moodChart.rangeLabel', { from: days[0]!.day, to: days.at(-1)!.day, days: logged.length, average })
    : t('moodChart.label', { days: logged.length, average });
  return <div ref={holder} className="chart" role="img" aria-label={label} />;
}
