import { route, type Route } from "../handle";
import { visibilitySchema } from "../schemas";

export const visibilityRoutes: Route[] = [
  // Kept on socket.data, which fetchSockets() returns from every instance (see lib/realtime/attention.ts).
  route(
    "visibility",
    visibilitySchema,
    async ({ socket }, p) => {
      socket.data.hidden = p.hidden;
      return {};
    },
    { limit: "visibility" },
  ),
];
