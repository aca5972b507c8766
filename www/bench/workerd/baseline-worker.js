// Cold-start baseline: the same request answered without edgeflag, to
// subtract workerd's own start-up from the edgeflag worker's.
export default {
  async fetch() {
    return Response.json({ value: false });
  },
};
