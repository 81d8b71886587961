import { parseArgs } from 'node:util';
import { redactText } from '../app/index.js';
import { startPreview } from './server.js';

/**
 * `npm run preview [-- --port 4600 --scenario long-night]`: the bot and a local page that looks
 * like a Slack channel, on 127.0.0.1 only. No Slack workspace, token or AWS account is needed.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '4600' }, scenario: { type: 'string', default: 'long-night' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port: expected a port number, got ${values.port}`);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const preview = await startPreview({ port, scenario: values.scenario });
  console.log(`firebreak preview: ${preview.url}  (loopback only; no Slack workspace or token is used)`);
  const shutdown = () => {
    void preview.stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(`firebreak preview: ${redactText(err instanceof Error ? err.message : String(err))}`);
  process.exit(1);
});
