import { generateIamPolicy } from '../../app/index.js';
import { parseCommandArgs } from '../args.js';
import { EXIT, type CliIo } from '../io.js';

export async function iamPolicyCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    { region: { type: 'string' }, account: { type: 'string' }, 'log-group': { type: 'string', multiple: true } },
    'firebreak iam-policy --region us-east-1 --account 111111111111 --log-group /my/access-logs',
  );
  const options = {
    ...(values.region ? { region: values.region } : {}),
    ...(values.account ? { account: values.account } : {}),
    ...(values['log-group']?.length ? { logGroups: values['log-group'] } : {}),
  };
  io.out(JSON.stringify(generateIamPolicy(options), null, 2));
  return EXIT.ok;
}
