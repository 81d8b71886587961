/**
 * The architecture of docs/architecture.md as rules: dependencies point down the flow.
 * `npm run lint` fails on any violation; test/architecture/layering.test.ts shows it failing.
 */
const NETWORK = '^(@aws-sdk/client-|@slack/|node:(http|https|net|dns|tls)$|(http|https|net|dns|tls)$)';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import cycles make the layering meaningless.', from: { path: '^src' }, to: { circular: true } },
    { name: 'core-imports-nothing', severity: 'error', comment: 'core/ holds the domain types every layer shares.', from: { path: '^src/core/' }, to: { path: '^src/', pathNot: '^src/core/' } },
    { name: 'rules-only-core', severity: 'error', comment: 'Rules are pure functions over evidence.', from: { path: '^src/rules/' }, to: { path: '^src/', pathNot: '^src/(core|rules)/' } },
    { name: 'bundle-only-core', severity: 'error', comment: 'The bundle is pure: templating, redaction, packing.', from: { path: '^src/bundle/' }, to: { path: '^src/', pathNot: '^src/(core|bundle)/' } },
    { name: 'pure-layers-no-network', severity: 'error', comment: 'Only aws/, ledger/ and model/ talk to the network.', from: { path: '^src/(core|rules|bundle)/' }, to: { path: NETWORK } },
    { name: 'sources-only-aws-core', severity: 'error', comment: 'Sources read AWS through aws/ and write core evidence.', from: { path: '^src/sources/' }, to: { path: '^src/', pathNot: '^src/(aws|core|sources)/' } },
    { name: 'ledger-only-core', severity: 'error', comment: 'The ledger stores what the app hands it.', from: { path: '^src/ledger/' }, to: { path: '^src/', pathNot: '^src/(core|ledger)/' } },
    { name: 'model-only-core-bundle', severity: 'error', comment: 'model/ is the Bedrock room: client, router, prompt, prices, answer.', from: { path: '^src/model/' }, to: { path: '^src/', pathNot: '^src/(core|model)/|^src/bundle/(tokens|redact)\\.ts$|^src/aws/errors\\.ts$' } },
    { name: 'aws-only-core', severity: 'error', from: { path: '^src/aws/' }, to: { path: '^src/', pathNot: '^src/(core|aws)/' } },
    { name: 'engine-no-sandbox', severity: 'error', comment: 'The engine runs on an environment; choosing the sandbox is the app’s.', from: { path: '^src/(engine\\.ts|sources/|rules/|bundle/|ledger/|model/|aws/|core/)' }, to: { path: '^src/sandbox/' } },
    { name: 'app-no-front-ends', severity: 'error', comment: 'The app does not know who calls it.', from: { path: '^src/(app|engine\\.ts)' }, to: { path: '^src/(slack|cli|preview)/' } },
    {
      name: 'front-ends-through-app',
      severity: 'error',
      comment: 'Slack and the CLI parse, call the app and render; they never touch the ledger, model, sources, sandbox or each other.',
      from: { path: '^src/(slack|cli)/' },
      to: { path: '^src/', pathNot: '^src/(app|core)/|^src/config\\.ts$|^src/$1/' },
    },
    {
      name: 'preview-drives-the-slack-front-end',
      severity: 'error',
      comment: 'The preview is Slack on loopback: it runs the Slack front end over the app, nothing below it.',
      from: { path: '^src/preview/' },
      to: { path: '^src/', pathNot: '^src/(app|core|slack|preview)/|^src/config\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js'] },
    moduleSystems: ['es6'],
  },
};
