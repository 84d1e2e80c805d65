import { DEFAULT_OPTIONS } from "./src/workflow/options.js";
import { runSegmentation } from "./src/workflow/segmentation.js";
const r = await runSegmentation({ ...DEFAULT_OPTIONS, source: "/work/shared/data/census/acs2015_county_data.csv" });
console.log(r.kmeans.training!.trialInertias.map((v) => v.toFixed(10)).join("\n"), r.kmeans.training!.inertia);
