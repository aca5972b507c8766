// A worker that runs the golden vectors POSTed to it inside workerd.
import { Engine, EvalContext, readDetails } from '../dist/workerd.js';
import { runGolden } from './golden-runner.mjs';

export default {
  async fetch(request) {
    return Response.json(runGolden({ Engine, EvalContext, readDetails }, await request.json()));
  },
};
