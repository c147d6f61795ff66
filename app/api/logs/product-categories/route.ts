import { capabilities } from "@/lib/capabilities";
import { dataRoute } from "@/lib/server/route";
import { productCategories, spender } from "@/lib/server/gateway";
import { categoriesNeedV2 } from "@/lib/server/product-categories";

export const dynamic = "force-dynamic";

/** The values `product_category` accepts (v2 only), with the products each one stands for. */
export const GET = dataRoute(async ({ request, config, viewer }) => {
  if (!capabilities(config.api).productCategories) throw categoriesNeedV2();
  const data = await productCategories(config, spender("interactive", viewer), { signal: request.signal });
  return Response.json({ data }, { headers: { "cache-control": "private, max-age=3600" } });
});
