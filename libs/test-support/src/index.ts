export { readTestEnv, type Env, type TestEnv } from './env';
export {
  CHROMIUM_PATH,
  chromium,
  fixture,
  MissingFixtureError,
  REPO_ROOT,
  shared,
  SHARED_DIR,
  type NeedOptions,
  type Needed,
} from './needs';
