// Browser test (issue 6): Debian's Jupyter Notebook serves a copy of notebooks/, Debian's Chromium (driven by
// playwright-core) opens notebook 1, runs all cells from the Cell menu, waits for the kernel to go idle, and checks
// that the swimlane SVG and the routing table are rendered in the output areas. Saves screenshots.
//   node notebook-1.mjs BASE_URL TOKEN OUT_DIR
import { chromium } from 'playwright-core';
import path from 'node:path';

const [base, token, outDir] = process.argv.slice(2);
const fail = (msg) => { console.error('browser test: ' + msg); process.exitCode = 1; };

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 960 } });
  page.on('pageerror', (e) => console.error('page error: ' + e.message));
  await page.goto(`${base}/notebooks/01-os-lock.ipynb?token=${token}`, { waitUntil: 'load' });
  // The notebook's kernel is up when the kernel indicator is idle and the session is connected.
  await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel
      && Jupyter.notebook.kernel.is_connected(), null, { timeout: 120_000 });
  await page.waitForSelector('#kernel_indicator_icon.kernel_idle_icon', { timeout: 120_000 });

  // Run All, as a user does: Cell menu > Run All.
  await page.locator('#menus a.dropdown-toggle').filter({ hasText: /^\s*Cell\s*$/ }).click();
  await page.click('#run_all_cells');

  // Wait until every code cell has an execution count and the kernel is idle again.
  await page.waitForFunction(() => {
    const cells = Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code');
    const done = cells.every((c) => typeof c.input_prompt_number === 'number');
    const idle = document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null;
    return done && idle;
  }, null, { timeout: 300_000, polling: 500 });

  const errors = await page.locator('.output_area .output_error, .output_area pre.ansi-red-fg, .output_stderr:has-text("Exception")').count();
  if (errors > 0) fail(`${errors} error output(s) in the notebook`);

  // The swimlane picture: an <svg> inside an output area, with the lane titles.
  const svgs = page.locator('.output_area svg');
  const svgCount = await svgs.count();
  if (svgCount < 1) fail('no <svg> in any output area');
  const lanes = await page.locator('.output_area svg').first().textContent();
  for (const lane of ['guest EL1', 'EL2', 'VMM'])
    if (!lanes.includes(lane)) fail(`the first swimlane SVG has no lane "${lane}"`);
  // EL2 says what it is: KVM under KVM, the firmware stub on bare metal (notebook 1 starts on bare metal).
  if (!lanes.includes('KVM/EL2') && !lanes.includes('EL2 (firmware)')) fail('the first swimlane SVG names neither KVM/EL2 nor EL2 (firmware)');

  // The routing table: an HTML table in an output area with the routing columns.
  const expected = ['#', 'PC', 'EL', 'lane', 'ESR', 'EC', 'what happened'];
  const tables = await page.$$eval('.output_area table', (ts) => ts.map((t) => [...t.querySelectorAll('th')].map((th) => th.textContent.trim())));
  const routing = tables.filter((h) => expected.every((e) => h.includes(e)));
  if (routing.length < 1) fail('no routing table with columns ' + expected.join(', ') + ' (tables seen: ' + JSON.stringify(tables.slice(0, 3)) + ')');

  // The facts the notebook teaches are visible: BRK's syndrome and the breakpoint's.
  const text = await page.locator('#notebook-container').textContent();
  for (const fact of ['0xF2000042', '0xC6000022', 'OSLK = 1'])
    if (!text.includes(fact)) fail(`"${fact}" is not on the page`);

  // Screenshots. Jupyter scrolls inside #site, not the page: the README's picture is the BRK cell with its
  // swimlanes at the top of the viewport; the full one grows the viewport to the notebook's height.
  await page.evaluate(() => {
    const cell = document.querySelectorAll('.cell.code_cell')[1];
    const site = document.querySelector('#site');
    site.scrollTop = cell.offsetTop - 10;
  });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(outDir, 'notebook-1.png') });
  const height = await page.evaluate(() => document.querySelector('#notebook').scrollHeight + 150);
  await page.setViewportSize({ width: 1280, height: Math.min(height, 30000) });
  await page.evaluate(() => { document.querySelector('#site').scrollTop = 0; });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(outDir, 'notebook-1-full.png') });
  console.log(`browser test: ${svgCount} swimlane SVGs, ${routing.length} routing tables, screenshots in ${outDir}`);
} catch (e) {
  fail(e.stack || String(e));
} finally {
  await browser.close();
}
