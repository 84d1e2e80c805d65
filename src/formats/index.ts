/**
 * The binary codecs SageMaker's PCA and K-Means use: MXNet NDArray files, model.tar.gz, RecordIO framing
 * and the aialgs.data Record protobuf.
 * @module
 */
export * from "./dense-rows.js";
export * from "./inference-records.js";
export * from "./ndarray.js";
export * from "./ndarray-models.js";
export * from "./record-protobuf.js";
export * from "./recordio.js";
export * from "./tarball.js";
export { type DenseDType, encodeTensorRows, type TensorSlot } from "./tensor-rows.js";
