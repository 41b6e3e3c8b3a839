// node crop.mjs in.png y0 height out.png  (pixels of the PNG; width kept)
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
const [, , file, y0, h, out] = process.argv;
const b64 = readFileSync(file).toString('base64');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 720, height: Number(h) } });
await page.setContent(`<body style="margin:0;overflow:hidden"><img id=i src="data:image/png;base64,${b64}" style="position:absolute;top:-${y0}px;left:0;width:720px"></body>`);
await page.waitForFunction(() => document.getElementById('i').complete);
await page.screenshot({ path: out });
await browser.close();
