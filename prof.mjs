import { PGlite } from "@electric-sql/pglite";
const pg = await PGlite.create(process.argv[2]);
const C = "[\\u3005\\u3007\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff\\uff66-\\uff9f\\U00020000-\\U0002fa1f]";
const NC = "[^" + C.slice(1);
await pg.exec(`create or replace function bg(c text) returns tsvector language sql immutable as $$
  select array_to_tsvector(array(select distinct substr(c, i, 2) from generate_series(1, length(c) - 1) i where strpos(substr(c, i, 2), ' ') = 0)) $$`);
await pg.exec(`create or replace function doc2(p_body text) returns tsvector language sql immutable as $$
  select case when b ~ '${C}' then to_tsvector('english', regexp_replace(b, '${C}+', ' ', 'g')) || bg(regexp_replace(b, '${NC}+', ' ', 'g'))
              else to_tsvector('english', b) end
    || case when b ~* '(https?://|www\\.)\\S' then '''~has link'''::tsvector else ''::tsvector end
  from (select case when p_body ~ '[\\uff00-\\uffef]' then normalize(p_body, NFKC) else p_body end as b) t $$`);
const exprs = {
  count: "count(*)",
  tsv: "sum(length(to_tsvector('english', body)))",
  bg: `sum(length(bg(regexp_replace(body, '${NC}+', ' ', 'g'))))`,
  doc: "sum(length(search_doc(body)))",
  doc2: "sum(length(doc2(body)))",
};
for (let r = 0; r < 2; r++) for (const [k, e] of Object.entries(exprs)) {
  const t = performance.now();
  await pg.query(`select ${e} from (select body from messages limit 10000) m`);
  console.log(k, ((performance.now() - t) / 10000 * 1000).toFixed(1), "us/row");
}
console.log((await pg.query(`select doc2('今日は良い天気です。Next.jsの設定 deployed https://x.y ﾃｽﾄ') as d`)).rows);
