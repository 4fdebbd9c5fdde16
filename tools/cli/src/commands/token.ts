import { createToken, listTokens, revokeToken, TOKEN_SCOPES } from '@kelly/tracking';
import type { Command } from 'commander';
import { z } from 'zod';
import { UsageError, type CliContext } from '../context';
import { parseFlags, table, toJsonText } from './runs';
import type { RegisterCommand } from './register-command';

const CreateFlags = z.object({
  scope: z.enum(TOKEN_SCOPES, { error: `must be ${TOKEN_SCOPES.join(' or ')}` }),
  name: z.string().min(1).optional(),
  json: z.boolean().optional(),
});
const ListFlags = z.object({ json: z.boolean().optional() });

const iso = (ms: number | null) =>
  ms === null ? '-' : new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** `kelly token create|list|revoke`: the tracking server's tokens, on the store of `--home` (stored hashed). */
export const registerToken: RegisterCommand = (program: Command, ctx: CliContext) => {
  const token = program
    .command('token')
    .description("the tracking server's API tokens (stored hashed, revocable)");
  token
    .command('create')
    .description('create a token and print it once (clients: KELLY_TRACKING_TOKEN)')
    .requiredOption('--scope <scope>', 'read | write (write also reads)')
    .option('--name <name>', 'who or what uses it')
    .option('--json', 'print one JSON document { id, scope, name, token }')
    .action((raw: unknown) => {
      const f = parseFlags(CreateFlags, raw);
      const t = ctx.openStore('kelly token create');
      try {
        const { token: secret, info } = createToken(t.sql, { scope: f.scope, name: f.name });
        if (f.json)
          return ctx.out(toJsonText({ id: info.id, scope: info.scope, name: info.name, token: secret }));
        ctx.out(secret);
        ctx.err(`token ${info.id} (${info.scope}) created; it is shown only now`);
      } finally {
        t.close();
      }
    });
  token
    .command('list')
    .description('list tokens (never their secrets)')
    .option('--json', 'print one JSON document { tokens }')
    .action((raw: unknown) => {
      const f = parseFlags(ListFlags, raw);
      const t = ctx.openStore('kelly token list');
      try {
        const tokens = listTokens(t.sql);
        if (f.json) return ctx.out(toJsonText({ tokens }));
        if (!tokens.length) return ctx.out('no tokens (the server accepts loopback clients without one)');
        ctx.out(
          table(
            ['ID', 'SCOPE', 'NAME', 'CREATED', 'LAST USED', 'REVOKED'],
            tokens.map((k) => [
              k.id,
              k.scope,
              k.name ?? '-',
              iso(k.createdAt),
              iso(k.lastUsedAt),
              iso(k.revokedAt),
            ]),
          ),
        );
      } finally {
        t.close();
      }
    });
  token
    .command('revoke')
    .description('revoke a token by id; requests with it get 401 from then on')
    .argument('<id>', 'token id (kelly token list)')
    .action((id: string) => {
      const t = ctx.openStore('kelly token revoke');
      try {
        if (!revokeToken(t.sql, id)) throw new UsageError(`no live token with id ${id}`);
        ctx.out(`token ${id} revoked`);
      } finally {
        t.close();
      }
    });
};
