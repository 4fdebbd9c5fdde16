import { emotionNodeTask } from './emotion-node-task';
import { emotionTask } from './emotion-task';
import { grooveTask } from './groove-task';
import { melodyTask } from './melody-task';
import type { ModelKind, Task } from './task';

export const TASKS: Record<ModelKind, Task> = {
  melody: melodyTask,
  groove: grooveTask,
  emotion: emotionTask,
  'emotion-node': emotionNodeTask,
};
