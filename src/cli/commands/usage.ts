import { createFirebreak } from '../../app/index.js';
import { parseCommandArgs } from '../args.js';
import { EXIT, type CliIo } from '../io.js';
import { currentUser } from '../user.js';

export async function usageCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, { user: { type: 'string' }, json: { type: 'boolean' } }, 'firebreak usage --user alice');
  const user = values.user ?? currentUser();
  const app = await createFirebreak(io.config, { snapshot: true });
  try {
    const quota = await app.usage(user);
    if (values.json) {
      io.out(JSON.stringify({ user, ...quota }, null, 2));
      return EXIT.ok;
    }
    const limit = quota.limit === null ? 'no daily limit' : `${quota.used.toLocaleString('en-US')} of ${quota.limit.toLocaleString('en-US')} tokens used today`;
    const left = quota.remaining === null ? '' : `, ${quota.remaining.toLocaleString('en-US')} left`;
    io.out(`${user}: ${limit}${left}; resets at ${quota.resetsAt} (${io.config.quota.timezone} midnight) · ledger: ${await app.ledgerLocation()}`);
    return EXIT.ok;
  } finally {
    await app.close();
  }
}
