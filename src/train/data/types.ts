/** A whole image dataset in memory, ready for training and evaluation. */
export interface ImageDataset {
  /** Registry name, e.g. "mnist". */
  name: string;
  channels: number;
  height: number;
  width: number;
  /** Number of images. */
  count: number;
  /** [count, C, H, W] float32 in [-1, 1], C order. */
  images: Float32Array;
  /** [count] class index into classNames. */
  labels: Int32Array;
  classNames: string[];
  /** Where the images came from: a package and its version, or a folder's name. Model cards copy
   * it, so never a machine path (a cache folder means nothing on another machine). */
  source: string;
  /** Licence and credit of the artwork, for model cards; absent when the data carries none. */
  credits?: string;
  /**
   * Indices that form the dataset's official test set (Fashion-MNIST's t10k). When present the
   * held-out split is exactly this set instead of a seeded random one.
   */
  officialHeldOut?: Uint32Array;
}

/** Options every loader understands. */
export interface LoadDatasetOptions {
  /** Folder holding the raw files (fashion-mnist IDX files, the image folder for "folder"). */
  dataDir?: string;
  /** Cache folder for downloaded data (emoji); default ~/.cache/qac-playground. */
  cacheDir?: string;
  /** Output side length in pixels for datasets that are resized (emoji, folder). */
  size?: number;
  /** Output channels for datasets that are converted (folder): 1 grayscale or 3 RGB. */
  channels?: 1 | 3;
  /** Keep only the first `limit` images (for smoke tests). */
  limit?: number;
}
