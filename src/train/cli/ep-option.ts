import { Option } from 'commander';
import { NODE_EPS } from '../../runtime/node/ep';

/**
 * `--ep cpu|webgpu`, the same for every Node command. A command checks its value with
 * checkNodeEp before any work, so a machine without a usable GPU is told so in one line.
 */
export const epOption = () =>
  new Option(
    '--ep <ep>',
    'execution provider: cpu, or webgpu (your GPU, through Vulkan; README: Training on your GPU)',
  )
    .choices(NODE_EPS)
    .default('cpu');
