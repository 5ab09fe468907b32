// Tests of the webgpu EP run on SwiftShader, the CPU Vulkan driver in Debian's chromium package
// (.ci/run installs it), unless the environment already names a Vulkan driver.
import { tmpdir } from 'node:os';
import { SWIFTSHADER_ICD, VULKAN_DRIVER_VAR } from './ep';

/** Points the Vulkan loader at SwiftShader when no driver is named; call before any session. */
export function pickSwiftShaderUnlessSet(): void {
  process.env[VULKAN_DRIVER_VAR] ??= SWIFTSHADER_ICD;
  // Mesa's Vulkan layers complain on stderr without it.
  process.env.XDG_RUNTIME_DIR ??= tmpdir();
}
