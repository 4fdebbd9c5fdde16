export { kellyPaths, type KellyPaths } from './paths';
