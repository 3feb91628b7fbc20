import { define } from "@/lib/define.ts";
import { rootMiddleware } from "@/lib/http/middleware.ts";

export default define.middleware(rootMiddleware);
