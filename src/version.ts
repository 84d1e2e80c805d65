/** The Strata version stamped into artifacts' metadata and shown by `strata --version`. */
export const STRATA_VERSION = "0.1.0";
