import { readEnv } from '../env';
import { allowedHostnames } from './hosts';
import { BODY_LIMIT_BYTES, type RequestPolicy } from './request-policy';

let policy: { rules: RequestPolicy; dev: boolean } | undefined;

/** The policy of this server process, read once from its environment (the proxy and the tracking route). */
export function currentPolicy(): { rules: RequestPolicy; dev: boolean } {
  if (!policy) {
    const env = readEnv();
    policy = {
      rules: {
        hosts: allowedHostnames(env.KELLY_DASHBOARD_HOST, env.KELLY_DASHBOARD_ALLOWED_HOSTS),
        bodyLimit: BODY_LIMIT_BYTES,
      },
      dev: env.NODE_ENV === 'development',
    };
  }
  return policy;
}
