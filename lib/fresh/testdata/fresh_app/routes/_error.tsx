import { HttpError, type PageProps } from "fresh";
export default function ErrorPage({ error }: PageProps<unknown, unknown>) {
  const status = error instanceof HttpError ? error.status : 500;
  return <p id="error" data-status={status}>root error: {(error as Error).message}</p>;
}
