import { HttpError } from "fresh";
export const handler = {
  GET(ctx: { url: URL }) {
    const status = ctx.url.searchParams.get("status");
    if (status) throw new HttpError(Number(status), "with status");
    throw new Error("handler boom");
  },
  POST() {
    throw new Error("post boom");
  },
};
export default function Never() {
  return <p>never rendered</p>;
}
