import { ModelError } from '../errors';
import type { LoadedModel } from '../types';
import type { ModelFiles } from './files';
import { checkSession, type SessionPort } from './session';

/**
 * Builds the LoadedModel both adapters return, from verified files and sessions the adapter
 * opened. Validates every call's buffer sizes so a wrong batch or code length fails loudly.
 */
function createLoadedModel(
  files: ModelFiles,
  denoiser: SessionPort,
  encoder: SessionPort | null,
  backend: string,
): LoadedModel {
  const { manifest, weights } = files;
  const { channels: c, height: h, width: w } = manifest.image;
  const imageSize = c * h * w;
  const codeBits = manifest.kind === 'qac' ? manifest.code!.bits : 0;
  const denoiserFile = manifest.files.denoiser.path;
  const encoderFile = manifest.files.encoder?.path ?? 'encoder.onnx';

  checkSession(
    denoiserFile,
    denoiser,
    codeBits > 0
      ? { x: [null, c, h, w], sigma: [null], code: [null, codeBits] }
      : { x: [null, c, h, w], sigma: [null] },
    'denoised',
  );
  if (encoder) checkSession(encoderFile, encoder, { x: [null, c, h, w] }, 'code');

  let disposed = false;
  const checkBatch = (
    file: string,
    name: string,
    data: Float32Array,
    batch: number,
    per: number,
  ): void => {
    if (disposed) throw new ModelError(file, undefined, 'model was disposed');
    if (!Number.isInteger(batch) || batch < 1)
      throw new ModelError(file, name, `batch ${batch} is not a positive integer`);
    if (data.length !== batch * per) {
      throw new ModelError(
        file,
        name,
        `expected ${batch}x${per} = ${batch * per} values, got ${data.length}`,
      );
    }
  };

  const denoise: LoadedModel['denoise'] = async (x, sigma, batch, code) => {
    checkBatch(denoiserFile, 'x', x, batch, imageSize);
    const sigmas = typeof sigma === 'number' ? new Float32Array(batch).fill(sigma) : sigma;
    checkBatch(denoiserFile, 'sigma', sigmas, batch, 1);
    const feeds: Parameters<SessionPort['run']>[0] = {
      x: { data: x, dims: [batch, c, h, w] },
      sigma: { data: sigmas, dims: [batch] },
    };
    if (codeBits > 0) {
      if (!code)
        throw new ModelError(denoiserFile, 'code', 'a QAC denoiser needs a code per image');
      checkBatch(denoiserFile, 'code', code, batch, codeBits);
      feeds.code = { data: code, dims: [batch, codeBits] };
    }
    return (await denoiser.run(feeds)).denoised!;
  };

  return {
    manifest,
    backend,
    codeBits,
    imageSize,
    weights,
    denoise,
    async encode(x, batch) {
      if (!encoder)
        throw new ModelError(encoderFile, undefined, `a ${manifest.kind} model has no encoder`);
      checkBatch(encoderFile, 'x', x, batch, imageSize);
      return (await encoder.run({ x: { data: x, dims: [batch, c, h, w] } })).code!;
    },
    bind(batch, code) {
      return (x, sigma) => denoise(x, sigma, batch, code);
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await Promise.all([denoiser.release(), encoder?.release()]);
    },
  };
}

/**
 * Opens the sessions of verified files with an adapter's `open` (concurrently: on the web the
 * first one waits for ORT's wasm to compile, the second need not queue behind it) and builds the
 * model, releasing whatever was opened if a later step fails.
 */
export async function openModel(
  files: ModelFiles,
  open: (bytes: Uint8Array, file: string) => Promise<SessionPort>,
  backend: string,
): Promise<LoadedModel> {
  const { denoiser: denoiserFile, encoder: encoderFile } = files.manifest.files;
  const [denoiser, encoder] = await Promise.allSettled([
    open(files.denoiser, denoiserFile.path),
    files.encoder ? open(files.encoder, encoderFile!.path) : Promise.resolve(null),
  ]);
  const opened = [denoiser, encoder].flatMap((r) =>
    r.status === 'fulfilled' && r.value ? [r.value] : [],
  );
  try {
    if (denoiser.status === 'rejected') throw denoiser.reason;
    if (encoder.status === 'rejected') throw encoder.reason;
    return createLoadedModel(files, denoiser.value, encoder.value, backend);
  } catch (e) {
    await Promise.all(opened.map((s) => s.release()));
    throw e;
  }
}
