import { page, type PageProps } from "fresh";
export const handler = {
  GET() {
    return page({ note: "from handler" }, { status: 503, headers: { "x-error-page": "blog" } });
  },
};
export default function BlogError({ data, error }: PageProps<{ note: string } | undefined, unknown>) {
  return <p id="blog-error">blog error ({data?.note ?? "no handler"}): {(error as Error).message}</p>;
}
