import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreview, type Preview } from '../../src/preview/server.js';
import type { RecordedCall } from '../../src/preview/slack-stand-in.js';
import { ACTION, VIEW } from '../../src/slack/blocks/ids.js';

/**
 * The preview page in headless Chromium (Debian's `chromium`; `.ci/run` installs it): the real bot
 * on loopback, the page driven as a person would, and what the page shows checked against what the
 * bot sent to the Web API stand-in.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * Without Chromium, `npm test` skips this file with one line saying how to run it; under CI=true
 * (`.ci/run` installs Chromium) a missing browser fails it instead.
 */
const IN_CI = Boolean(process.env.CI) && process.env.CI !== 'false';
const RUN_BROWSER = existsSync(CHROMIUM) || IN_CI;
if (!RUN_BROWSER) {
  console.info(`preview browser test skipped: no Chromium at ${CHROMIUM}. Run it with: apt-get install chromium fonts-noto-color-emoji (or CHROMIUM_PATH=/path/to/chromium), then npm test; CI=true fails instead of skipping.`);
}
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

type Block = { type: string; text?: { text: string }; elements?: { type: string; text?: { text: string } | string; action_id?: string }[]; fields?: { text: string }[] };

/** The plain words of a Block Kit payload, without mrkdwn markup, for comparing with the page. */
function words(text: string): string {
  return text
    .replace(/<@([A-Z0-9]+)>/g, '')
    .replace(/<[^>|]+\|([^>]+)>/g, '$1')
    .replace(/:[a-z0-9_+-]+:/g, '')
    // The page draws shortcodes as emoji, as Slack does: neither side's emoji are words.
    .replace(/\p{Extended_Pictographic}\uFE0F?/gu, '')
    .replace(/[*_`~]/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

function headerText(call: RecordedCall): string | undefined {
  return ((call.args.blocks ?? []) as Block[]).find((b) => b.type === 'header')?.text?.text;
}

function buttonLabels(call: RecordedCall): string[] {
  return ((call.args.blocks ?? []) as Block[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .filter((e) => e.type === 'button')
    .map((e) => (typeof e.text === 'object' ? e.text.text : ''));
}

function firstSectionText(call: RecordedCall): string {
  return ((call.args.blocks ?? []) as Block[]).find((b) => b.type === 'section')?.text?.text ?? '';
}

describe.skipIf(!RUN_BROWSER)('npm run preview, in headless Chromium', () => {
  let preview: Preview;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let shots: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`CI=true and no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium fonts-noto-color-emoji; .ci/run does) or set CHROMIUM_PATH`);
    preview = await startPreview({ port: 0, scenario: 'long-night', env: { FIREBREAK_LOG_LEVEL: 'silent' } });
    profile = await mkdtemp(join(tmpdir(), 'firebreak-chromium-'));
    shots = await mkdtemp(join(tmpdir(), 'firebreak-preview-shots-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 } });
    page = context.pages()[0] ?? (await context.newPage());
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await preview?.stop();
    if (profile) await rm(profile, { recursive: true, force: true });
    if (shots && !process.env.FIREBREAK_KEEP_SHOTS) await rm(shots, { recursive: true, force: true });
  });

  it('runs /troubleshoot on long-night, adds context through the modal and presses Analyze, showing what the bot sent', async () => {
    const slack = preview.standIn;
    expect(new URL(preview.url).hostname).toBe('127.0.0.1');
    await page.goto(preview.url);
    await page.locator('#scenario').selectOption('long-night');
    await expect.poll(() => page.locator('#command').inputValue()).toBe('/troubleshoot api-gw a1b2c3d4e5 --since 2h');
    await page.locator('#composer button[type=submit]').click();

    // The ack is ephemeral, to the user who typed the command.
    await page.locator('.message.ephemeral', { hasText: 'Investigating' }).waitFor();

    // The parent message, then the thread: coverage, findings, the action message with its buttons.
    const action = await slack.waitFor(() => slack.callsTo('chat.postMessage').find((c) => JSON.stringify(c.args.blocks ?? '').includes(ACTION.analyze)), 60_000);
    const parent = slack.callsTo('chat.postMessage').find((c) => c.args.thread_ts === undefined);
    expect(parent).toBeDefined();
    const parentTs = String(parent?.response?.ts);
    const parentOnPage = page.locator(`#messages .message[data-ts="${parentTs}"]`);
    await parentOnPage.waitFor();
    // The verdict reaches the channel: the bot updates the parent with the top finding (long-night:
    // a critical one), and the page shows it in the parent, without opening the thread.
    const verdict = await slack.waitFor(() => slack.callsTo('chat.update').filter((c) => c.args.ts === parentTs && /\*critical\*/.test(JSON.stringify(c.args.blocks ?? ''))).at(-1), 60_000);
    await expect.poll(() => parentOnPage.innerText()).toMatch(/critical/i);
    expect(verdict).toBeDefined();
    // The parent shows what the bot last sent for it.
    const lastParent = slack.callsTo('chat.update').filter((c) => c.args.ts === parentTs).at(-1) ?? (parent as RecordedCall);
    expect(words(await parentOnPage.innerText())).toContain(words(firstSectionText(lastParent)).split(' Window')[0]);
    await expect.poll(() => parentOnPage.locator('.replies').innerText()).toMatch(/\d+ replies/);

    await parentOnPage.locator('.replies').click();
    const thread = page.locator('#thread-body');
    const findings = slack.callsTo('chat.postMessage').find((c) => /^Findings: \d+/.test(headerText(c) ?? ''));
    const coverage = slack.callsTo('chat.postMessage').find((c) => /^Coverage: /.test(headerText(c) ?? ''));
    expect(findings).toBeDefined();
    expect(coverage).toBeDefined();
    await thread.locator('.header', { hasText: headerText(findings as RecordedCall) as string }).waitFor();
    await thread.locator('.header', { hasText: headerText(coverage as RecordedCall) as string }).waitFor();
    // The top finding's title, as the bot wrote it, rendered from mrkdwn (bold, no asterisks).
    const topFinding = /\*([^*]+)\*/.exec(((findings as RecordedCall).args.blocks as Block[])[1]?.text?.text ?? '')?.[1] ?? '';
    expect(topFinding.length).toBeGreaterThan(0);
    await expect.poll(() => thread.locator('b', { hasText: words(topFinding) }).count()).toBeGreaterThan(0);
    // Emoji shortcodes are drawn, never shown raw.
    expect(await thread.innerText()).not.toMatch(/:(large_green_circle|red_circle|rotating_light):/);

    const actionTs = String(action.response?.ts);
    const actionOnPage = thread.locator(`.message[data-ts="${actionTs}"]`);
    const labels = buttonLabels(action);
    expect(labels[0]).toBe('Add context');
    expect(labels[1]).toMatch(/^Analyze · ~\$\d+\.\d\d$/);
    for (const label of labels) await actionOnPage.getByRole('button', { name: label }).waitFor();
    await thread.evaluate((el) => el.scrollTo(0, 0));
    await page.screenshot({ path: join(shots, 'thread-1280.png') });

    // Add context: the modal opens (loading, then the form from views.update) and is submitted.
    await actionOnPage.getByRole('button', { name: 'Add context' }).click();
    const form = await slack.waitFor(() => slack.callsTo('views.update').find((c) => (c.args.view as { callback_id?: string }).callback_id === VIEW.context));
    const modal = page.locator('#modal');
    await modal.locator('textarea').waitFor();
    expect(await modal.locator('.modal-head h2').innerText()).toBe((form.args.view as { title: { text: string } }).title.text);
    await modal.locator('textarea').fill('It started after the 10:05 deploy of the authorizer');
    await page.screenshot({ path: join(shots, 'modal-1280.png') });
    const submitLabel = (form.args.view as { submit: { text: string } }).submit.text;
    // No section ticked: the bot answers response_action errors, shown under the block; the text stays.
    for (const box of await modal.locator('input[type=checkbox]').all()) await box.uncheck();
    await modal.getByRole('button', { name: submitLabel }).click();
    await modal.locator('.input-error', { hasText: 'Pick at least one section to send.' }).waitFor();
    expect(await modal.locator('textarea').inputValue()).toBe('It started after the 10:05 deploy of the authorizer');
    for (const box of await modal.locator('input[type=checkbox]').all()) await box.check();
    await modal.getByRole('button', { name: submitLabel }).click();
    await page.locator('#modal-backdrop.hidden').waitFor({ state: 'attached' });

    const revised = await slack.waitFor(() => slack.callsTo('chat.update').find((c) => c.args.ts === actionTs && JSON.stringify(c.args.blocks).includes('10:05 deploy')));
    await actionOnPage.locator('.section-text', { hasText: 'Added context: It started after the 10:05 deploy' }).waitFor();
    const analyzeLabel = buttonLabels(revised).find((l) => l.startsWith('Analyze')) as string;
    await actionOnPage.getByRole('button', { name: analyzeLabel }).waitFor();

    // Analyze without a model: the priced approval was shown, the request is kept, the bot says why.
    await actionOnPage.getByRole('button', { name: analyzeLabel }).click();
    const failure = await slack.waitFor(() => slack.callsTo('chat.postMessage').find((c) => JSON.stringify(c.args.blocks ?? '').includes('no model is configured')), 30_000);
    expect(failure.args.thread_ts).toBe(parentTs);
    await thread.locator(`.message[data-ts="${String(failure.response?.ts)}"]`, { hasText: 'no model is configured' }).waitFor();
    const request = page.locator('.model-request');
    await request.waitFor();
    expect(await request.innerText()).toContain('10:05 deploy of the authorizer');
    // The approval is given back: the Analyze button is there again, with why the last one failed.
    await slack.waitFor(() => slack.callsTo('chat.update').find((c) => c.args.ts === actionTs && JSON.stringify(c.args.blocks).includes('nothing charged')));
    await actionOnPage.locator('.context', { hasText: 'nothing charged' }).waitFor();
    await actionOnPage.getByRole('button', { name: /^Analyze/ }).waitFor();

    // Download bundle: the redacted bundle goes to the person who pressed it (their DM), not the channel.
    await actionOnPage.getByRole('button', { name: 'Download bundle' }).click();
    const upload = await slack.waitFor(() => slack.callsTo('files.completeUploadExternal').find((c) => String(c.args.channel_id).startsWith('D')));
    expect(upload.args.thread_ts).toBeUndefined();
    await thread.locator('.message.ephemeral', { hasText: 'The bundle is in your direct messages' }).waitFor();
    expect(await thread.locator('.text-file').count()).toBe(0);
    await page.screenshot({ path: join(shots, 'analyze-1280.png') });
    await page.setViewportSize({ width: 400, height: 860 });
    await thread.locator(`.message[data-ts="${actionTs}"]`).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'thread-400.png') });
    // Nothing is wider than a phone screen.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(400);

    // Every message and view the bot sent was within Block Kit limits, and only loopback was used.
    expect(slack.violations).toEqual([]);
    expect(slack.calls.every((c) => c.token?.startsWith('xoxb-preview-'))).toBe(true);
  }, 120_000);

  it('keeps a not-found private: one reply with what was tried and the nearest API, nothing in the channel', async () => {
    const slack = preview.standIn;
    const postsBefore = slack.callsTo('chat.postMessage').length;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(preview.url);
    await page.locator('#scenario').selectOption('long-night');
    await page.locator('#command').fill('/troubleshoot api-gw a1b2c3d4e6 --since 2h');
    await page.locator('#composer button[type=submit]').click();
    const reply = page.locator('.message.ephemeral', { hasText: 'No API' });
    await reply.waitFor({ timeout: 60_000 });
    const text = await reply.innerText();
    expect(text).toContain('Only you can see this; nothing was posted to the channel.');
    expect(text).toMatch(/apigateway:GetRestApi\s*→ NotFoundException/);
    expect(text).toContain('/troubleshoot api-gw a1b2c3d4e5');
    await reply.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'not-found-1280.png') });
    await page.setViewportSize({ width: 400, height: 860 });
    await reply.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'not-found-400.png') });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(400);
    expect(slack.callsTo('chat.postMessage').length).toBe(postsBefore);
    expect(slack.violations).toEqual([]);
  }, 90_000);

  it('says a healthy API is healthy in the parent, draws the traffic in the thread and offers Analyze without urging it', async () => {
    const slack = preview.standIn;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(preview.url);
    await page.locator('#scenario').selectOption('healthy');
    await expect.poll(() => page.locator('#command').inputValue()).toMatch(/^\/troubleshoot api-gw [a-z0-9]{10}/);
    await page.locator('#command').fill(`${(await page.locator('#command').inputValue()).split(' --')[0]} --since 2h`);
    const before = slack.callsTo('chat.postMessage').length;
    await page.locator('#composer button[type=submit]').click();
    const parent = await slack.waitFor(() => slack.callsTo('chat.postMessage').slice(before).find((c) => c.args.thread_ts === undefined), 60_000);
    const parentTs = String(parent.response?.ts);
    await slack.waitFor(() => slack.callsTo('chat.update').find((c) => c.args.ts === parentTs && JSON.stringify(c.args.blocks).includes('No problem found')), 60_000);
    const parentOnPage = page.locator(`#messages .message[data-ts="${parentTs}"]`);
    await expect.poll(() => parentOnPage.innerText()).toMatch(/✅\s*No problem found: [\d,]+ requests · 2xx–3xx [\d.]+% · 4xx [\d.]+% · 5xx [\d.<]+%/);
    expect(await parentOnPage.innerText()).not.toMatch(/No known cause|:white_check_mark:/);
    await parentOnPage.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'healthy-1280.png') });
    // The thread: findings first, the chart, the approval (Analyze offered, not primary), the coverage.
    const chartUpload = await slack.waitFor(() => slack.callsTo('files.completeUploadExternal').find((c) => c.args.thread_ts === parentTs), 60_000);
    expect(String((chartUpload.response?.files as { name: string }[])[0]?.name)).toMatch(/-traffic\.png$/);
    await expect.poll(() => parentOnPage.locator('.replies').innerText()).toMatch(/\d+ replies/);
    await parentOnPage.locator('.replies').click();
    const thread = page.locator('#thread-body');
    const chart = thread.locator('.image-file img');
    await chart.waitFor();
    await expect.poll(() => chart.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(400);
    const analyze = thread.getByRole('button', { name: /^Analyze · ~\$/ });
    await analyze.waitFor();
    expect(await analyze.getAttribute('class')).not.toContain('primary');
    const order = await thread.locator('.message').evaluateAll((nodes) => nodes.map((n) => (n.textContent ?? '').replace(/\s+/g, ' ').slice(0, 200)));
    const at = (what: RegExp) => order.findIndex((t) => what.test(t));
    expect(at(/Findings|No known misconfiguration/)).toBeLessThan(at(/Traffic of/));
    expect(at(/Traffic of/)).toBeLessThan(at(/To send/));
    expect(at(/To send/)).toBeLessThan(at(/Coverage/));
    await chart.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'healthy-chart-1280.png') });
    await page.setViewportSize({ width: 400, height: 860 });
    await chart.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'healthy-chart-400.png') });
    await page.locator('#thread-close').click();
    await parentOnPage.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'healthy-400.png') });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(400);
    expect(slack.violations).toEqual([]);
  }, 120_000);

  it('shows the incident chart with its onset, and fires "Troubleshoot this" on a pasted report into that message’s thread', async () => {
    const slack = preview.standIn;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(preview.url);
    await page.locator('#scenario').selectOption('long-night');
    await page.locator('#sample').selectOption('person');
    await page.locator('#post-sample').click();
    const sample = page.locator('#messages .message', { hasText: 'checkout is failing' }).last();
    await sample.waitFor();
    const sampleTs = (await sample.getAttribute('data-ts')) as string;
    await sample.getByRole('button', { name: /Troubleshoot this/ }).click();
    const modal = page.locator('#modal');
    await modal.locator('.section-text', { hasText: 'From the message' }).waitFor({ timeout: 60_000 });
    const said = await modal.innerText();
    expect(said).toContain('https://orders.shop.example.com/orders/42');
    expect(said).toMatch(/Not an API: 7f3a9c2b1e/);
    expect(said).toContain('Alarm time: 2024-05-01T11:35:00Z');
    await page.setViewportSize({ width: 400, height: 860 });
    await page.screenshot({ path: join(shots, 'shortcut-modal-400.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
    await modal.getByRole('button', { name: 'Investigate' }).click();
    const parent = await slack.waitFor(() => slack.callsTo('chat.postMessage').find((c) => c.args.thread_ts === sampleTs && JSON.stringify(c.args.blocks).includes('Troubleshooting')), 60_000);
    expect(JSON.stringify(parent.args.blocks)).toContain('via base path mapping');
    const chartUpload = await slack.waitFor(() => slack.callsTo('files.completeUploadExternal').find((c) => c.args.thread_ts === sampleTs), 60_000);
    expect(chartUpload).toBeDefined();
    await expect.poll(() => sample.locator('.replies').innerText(), { timeout: 30_000 }).toMatch(/\d+ replies/);
    await sample.locator('.replies').click();
    const thread = page.locator('#thread-body');
    await thread.locator('.image-file img').waitFor();
    await page.screenshot({ path: join(shots, 'shortcut-thread-1280.png') });

    // A chart with an onset: a4 (the authorizer lost its invoke permission at 10:40).
    await page.locator('#thread-close').click();
    await page.locator('#scenario').selectOption('a4-authorizer-permission');
    await page.locator('#command').fill(`${(await page.locator('#command').inputValue()).split(' --')[0]} --since 2h`);
    const before = slack.callsTo('chat.postMessage').length;
    await page.locator('#composer button[type=submit]').click();
    const a4 = await slack.waitFor(() => slack.callsTo('chat.postMessage').slice(before).find((c) => c.args.thread_ts === undefined), 60_000);
    const a4Ts = String(a4.response?.ts);
    await slack.waitFor(() => slack.callsTo('files.completeUploadExternal').find((c) => c.args.thread_ts === a4Ts), 60_000);
    const a4OnPage = page.locator(`#messages .message[data-ts="${a4Ts}"]`);
    await expect.poll(() => a4OnPage.locator('.replies').innerText(), { timeout: 30_000 }).toMatch(/\d+ replies/);
    await a4OnPage.locator('.replies').click();
    const chart = page.locator('#thread-body .image-file img');
    await chart.waitFor();
    await expect.poll(() => chart.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(400);
    await chart.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'chart-onset-1280.png') });
    await page.setViewportSize({ width: 400, height: 860 });
    await chart.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'chart-onset-400.png') });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(400);
    expect(slack.violations).toEqual([]);
  }, 180_000);

  it('shows the App Home tab and the weekly summary with its chart uploaded as an image', async () => {
    const slack = preview.standIn;
    await page.setViewportSize({ width: 400, height: 860 });
    await page.goto(preview.url);
    await page.locator('.tab[data-tab=home]').click();
    const home = page.locator('#home');
    // The bot publishes the Home tab on app_home_opened: quota, recent investigations, the week, the limits.
    await home.locator('.home-view').waitFor();
    expect(slack.callsTo('views.publish').some((c) => c.args.user_id === 'U0YOU')).toBe(true);
    expect(await home.innerText()).toMatch(/My quota today/);
    // The bundle downloaded earlier is in the app's Messages tab, to this user only.
    await home.locator('.dm-list .text-file .file-title', { hasText: 'firebreak bundle' }).first().waitFor();
    await page.screenshot({ path: join(shots, 'home-400.png') });

    await page.locator('.tab[data-tab=channel]').click();
    await page.screenshot({ path: join(shots, 'channel-400.png') });
    await page.locator('#post-summary').click();
    const summary = await slack.waitFor(() => slack.callsTo('chat.postMessage').find((c) => /^Model spend, week /.test(headerText(c) ?? '')), 30_000);
    const chartUpload = await slack.waitFor(() => slack.callsTo('files.completeUploadExternal').find((c) => c.args.thread_ts === summary.response?.ts), 30_000);
    expect(String((chartUpload.response?.files as { name: string }[])[0]?.name)).toMatch(/\.png$/);
    const summaryOnPage = page.locator(`#messages .message[data-ts="${String(summary.response?.ts)}"]`);
    await summaryOnPage.locator('.header', { hasText: headerText(summary) as string }).waitFor();
    await summaryOnPage.locator('.replies').click();
    const chart = page.locator('#thread-body .image-file img');
    await chart.waitFor();
    await expect.poll(() => chart.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(100);
    // The model request of the investigation stays in its own thread.
    expect(await page.locator('#thread-body .model-request').count()).toBe(0);
    await page.screenshot({ path: join(shots, 'summary-400.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(shots, 'summary-1280.png') });
    expect(slack.violations).toEqual([]);
  }, 60_000);

  it("fires the scenario's alarm as EventBridge delivers it: an investigation in the channel, then its recovery in the same parent", async () => {
    const slack = preview.standIn;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(preview.url);
    await page.locator('#scenario').selectOption('long-night');
    await page.locator('#alarm-row:not(.hidden)').waitFor();
    expect(await page.locator('#alarm option').allInnerTexts()).toEqual(['apigw-shop-api-traffic-drop']);
    const before = slack.callsTo('chat.postMessage').length;
    await page.locator('#fire-alarm').click();
    const parent = await slack.waitFor(() => slack.callsTo('chat.postMessage').slice(before).find((c) => c.args.thread_ts === undefined && JSON.stringify(c.args.blocks ?? '').includes('Started by alarm')), 60_000);
    const parentTs = String(parent.response?.ts);
    const parentOnPage = page.locator(`#messages .message[data-ts="${parentTs}"]`);
    await parentOnPage.waitFor();
    // The verdict lands in the parent as for a typed command, under the alarm's own line.
    await slack.waitFor(() => slack.callsTo('chat.update').find((c) => c.args.ts === parentTs && /\*critical\*/.test(JSON.stringify(c.args.blocks ?? ''))), 60_000);
    await expect.poll(() => parentOnPage.innerText()).toMatch(/Started by alarm apigw-shop-api-traffic-drop \(Count Sum < 10 \(5 min\)\), in ALARM since/);
    await expect.poll(() => parentOnPage.innerText()).toMatch(/critical/i);
    // Back to OK: the same parent says so; nothing new is posted in the channel.
    const posted = slack.callsTo('chat.postMessage').length;
    await page.locator('#recover-alarm').click();
    await expect.poll(() => parentOnPage.innerText(), { timeout: 30_000 }).toMatch(/Recovered at .+ \(15 minutes\)/);
    expect(slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === undefined).length).toBe(slack.callsTo('chat.postMessage').slice(0, posted).filter((c) => c.args.thread_ts === undefined).length);
    expect(await parentOnPage.innerText()).not.toMatch(/:(bell|white_check_mark):/);
    await page.screenshot({ path: join(shots, 'alarm-1280.png') });
    expect(slack.violations).toEqual([]);
  }, 120_000);

  it('shows a message Slack would refuse as refused, where it would have been', async () => {
    const slack = preview.standIn;
    await page.goto(preview.url);
    const tooMany = Array.from({ length: 51 }, (_, i) => ({ type: 'section', text: { type: 'mrkdwn', text: `row ${i}` } }));
    const res = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer xoxb-preview-long-night-not-a-real-token' },
      body: JSON.stringify({ channel: 'C0PREVIEW', text: 'too long', blocks: tooMany }),
    });
    expect(await res.json()).toMatchObject({ ok: false, error: 'invalid_blocks' });
    const refused = page.locator('#messages .refused', { hasText: 'invalid_blocks' });
    await refused.waitFor();
    expect(await refused.innerText()).toContain('51 blocks > 50');
    expect(slack.violations).toHaveLength(1);
  });

  it('renders mrkdwn as Slack does', async () => {
    await page.goto(preview.url);
    const html = await page.evaluate(() =>
      (globalThis as unknown as { BlockKit: { mrkdwn(text: string, users: Record<string, string>): string } }).BlockKit.mrkdwn(
        '*bold* _italic_ ~gone~ `a_b*c` :white_check_mark: <https://example.com/x?a=1&amp;b=2|the link> <@U0YOU> <#C0PREVIEW|incident> &lt;script&gt;\n```\nline <1>\n```\n&gt; quoted <!date^1714557600^{date_num} {time}|2024-05-01T10:00:00Z>',
        { U0YOU: 'you' },
      ),
    );
    expect(html).toContain('<b>bold</b>');
    expect(html).toContain('<i>italic</i>');
    expect(html).toContain('<s>gone</s>');
    expect(html).toContain('<code>a_b*c</code>');
    expect(html).toContain('✅');
    expect(html).toContain('<a href="https://example.com/x?a=1&amp;b=2" target="_blank" rel="noopener">the link</a>');
    expect(html).toContain('@you</span>');
    expect(html).toContain('#incident</span>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toMatch(/<pre class="pre">line &lt;1&gt;<\/pre>/);
    expect(html).toMatch(/<blockquote>quoted <time datetime="2024-05-01T10:00:00.000Z"[^>]*>2024-05-01 \d{1,2}:\d{2} [AP]M<\/time><\/blockquote>/);
  });
});
