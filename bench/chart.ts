/**
 * The benchmark chart as a small hand-drawn SVG: two panels of lines on a log-scale latency axis.
 * A chart library would outweigh the dozen shapes drawn here.
 */
export interface Series {
  name: string;
  color: string;
  dashed?: boolean;
  points: Array<[number, number]>;
}

export interface Panel {
  title: string;
  xLabel: string;
  series: Series[];
  /** A horizontal line to read the series against (a target). */
  target?: { value: number; label: string };
}

const W = 460;
const H = 300;
const M = { left: 56, right: 16, top: 34, bottom: 70 };
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function panel(p: Panel, dx: number): string {
  const xs = p.series.flatMap((s) => s.points.map(([x]) => x));
  const ys = p.series.flatMap((s) => s.points.map(([, y]) => y)).filter((y) => y > 0);
  if (p.target) ys.push(p.target.value);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const yMin = 10 ** Math.floor(Math.log10(Math.max(0.1, Math.min(...ys))));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...ys)));
  const px = (x: number) => dx + M.left + ((x - xMin) / (xMax - xMin || 1)) * (W - M.left - M.right);
  const py = (y: number) => M.top + (1 - (Math.log10(Math.max(y, yMin)) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * (H - M.top - M.bottom);
  const out: string[] = [`<text x="${dx + M.left}" y="20" font-weight="bold">${esc(p.title)}</text>`];
  for (let d = yMin; d <= yMax; d *= 10) {
    out.push(`<line x1="${dx + M.left}" x2="${dx + W - M.right}" y1="${py(d)}" y2="${py(d)}" stroke="#ddd"/>`);
    out.push(`<text x="${dx + M.left - 6}" y="${py(d) + 4}" text-anchor="end">${d >= 1 ? d : d.toFixed(1)} ms</text>`);
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    out.push(`<text x="${px(x)}" y="${H - M.bottom + 16}" text-anchor="middle">${x}</text>`);
  }
  out.push(`<text x="${dx + (M.left + W - M.right) / 2}" y="${H - M.bottom + 32}" text-anchor="middle">${esc(p.xLabel)}</text>`);
  if (p.target) {
    out.push(`<line x1="${dx + M.left}" x2="${dx + W - M.right}" y1="${py(p.target.value)}" y2="${py(p.target.value)}" stroke="#c00" stroke-dasharray="2 3"/>`);
    out.push(`<text x="${dx + W - M.right}" y="${py(p.target.value) - 4}" text-anchor="end" fill="#c00">${esc(p.target.label)}</text>`);
  }
  p.series.forEach((s, i) => {
    const path = s.points.map(([x, y], k) => `${k ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    out.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    for (const [x, y] of s.points) out.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${s.color}"/>`);
    const lx = dx + M.left + (i % 2) * 190;
    const ly = H - M.bottom + 48 + Math.floor(i / 2) * 16;
    out.push(`<line x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${lx + 24}" y="${ly}">${esc(s.name)}</text>`);
  });
  return out.join('\n');
}

export function chart(panels: Panel[]): string {
  const width = W * panels.length;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H}" viewBox="0 0 ${width} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${H}" fill="#fff"/>`,
    ...panels.map((p, i) => panel(p, i * W)),
    '</svg>',
    '',
  ].join('\n');
}
