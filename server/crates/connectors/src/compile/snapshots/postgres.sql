SELECT CAST(row_to_json(q) AS text) FROM (SELECT "t0"."id" AS "id", "t0"."title" AS "title", CAST("t0"."price" AS text) AS "price" FROM "public"."posts" "t0" WHERE ((("t0"."title" ILIKE $1 ESCAPE '!') AND "t0"."views" > CAST($2 AS integer) AND EXISTS (SELECT 1 FROM "public"."users" "t1" WHERE "t1"."id" = "t0"."author_id" AND "t1"."name" = CAST($3 AS text)))) ORDER BY "t0"."views" DESC, "t0"."id" ASC LIMIT 20 OFFSET 20) q
[Text("%50!%%"), Int(10), Text("ann")]
SELECT COUNT(*) FROM "public"."posts" "t0" WHERE ((("t0"."title" ILIKE $1 ESCAPE '!') AND "t0"."views" > CAST($2 AS integer) AND EXISTS (SELECT 1 FROM "public"."users" "t1" WHERE "t1"."id" = "t0"."author_id" AND "t1"."name" = CAST($3 AS text))))
INSERT INTO "public"."posts" ("title", "views") VALUES (CAST($1 AS character varying), CAST($2 AS integer)) RETURNING CAST(json_build_array("id") AS text)
UPDATE "public"."posts" AS "t0" SET "title" = CAST($1 AS character varying), "views" = CAST($2 AS integer) WHERE "t0"."id" = CAST($3 AS integer)
DELETE FROM "public"."posts" AS "t0" WHERE "t0"."id" = CAST($1 AS integer)
