-- Bedrock model-invocation logs summed for `tally usage --aggregates` (spark): calls and BIGINT token sums per day, model id, region, tier and group; Tally prices the result.
WITH lines AS (
  SELECT value AS line FROM text.`usage/logs/{AWSLogs/123456789012/BedrockModelInvocationLogs/us-east-1/2026/11/03/14/20261103T1405Z_a.json.gz,AWSLogs/123456789012/BedrockModelInvocationLogs/us-west-2/2026/11/04/09/20261104T0900Z_b.jsonl,cloudwatch/export.log}`
),
objects AS (
  SELECT o AS j
  FROM (SELECT CASE WHEN position('{' IN line) BETWEEN 1 AND 65 THEN substr(line, position('{' IN line)) END AS o
        FROM lines WHERE line RLIKE '[^ \t\r]') AS t
),
fields AS (
  SELECT
    get_json_object(j, '$.timestamp') AS ts,
    get_json_object(j, '$.modelId') AS model_id,
    get_json_object(j, '$.region') AS region,
    coalesce(get_json_object(j, '$.serviceTier.type'), get_json_object(j, '$.serviceTier'), get_json_object(j, '$.input.inputBodyJson.serviceTier.type'), get_json_object(j, '$.input.inputBodyJson.serviceTier')) AS service_tier,
    get_json_object(j, '$.errorCode') AS error_code,
    get_json_object(j, '$.input.inputTokenCount') AS input_raw,
    get_json_object(j, '$.input.cacheReadInputTokenCount') AS cache_read_raw,
    get_json_object(j, '$.input.cacheWriteInputTokenCount') AS cache_write_raw,
    get_json_object(j, '$.output.outputTokenCount') AS output_raw,
    get_json_object(j, '$.requestMetadata.team') AS `tag:team`,
    get_json_object(j, '$.identity.arn') AS `principal_arn`,
    get_json_object(j, "$.requestMetadata['cost-center']") AS `tag:cost-center`
  FROM objects
),
typed AS (
  SELECT *,
    CASE WHEN input_raw RLIKE '^(0|[1-9][0-9]{0,12})$' THEN CAST(input_raw AS BIGINT) END AS input_n, CASE WHEN cache_read_raw RLIKE '^(0|[1-9][0-9]{0,12})$' THEN CAST(cache_read_raw AS BIGINT) END AS cache_read_n,
    CASE WHEN cache_write_raw RLIKE '^(0|[1-9][0-9]{0,12})$' THEN CAST(cache_write_raw AS BIGINT) END AS cache_write_n, CASE WHEN output_raw RLIKE '^(0|[1-9][0-9]{0,12})$' THEN CAST(output_raw AS BIGINT) END AS output_n,
    CASE WHEN error_code IS NOT NULL THEN 1 ELSE 0 END AS is_failed
  FROM fields
),
checked AS (
  SELECT *,
    CASE WHEN ts IS NOT NULL AND ts RLIKE '^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}[Tt ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,9})?Z$' AND try_cast(substr(ts, 1, 10) AS DATE) IS NOT NULL AND model_id IS NOT NULL AND model_id <> ''
      AND (input_raw IS NULL OR (input_n IS NOT NULL AND input_n BETWEEN 0 AND 1000000000000)) AND (cache_read_raw IS NULL OR (cache_read_n IS NOT NULL AND cache_read_n BETWEEN 0 AND 1000000000000)) AND (cache_write_raw IS NULL OR (cache_write_n IS NOT NULL AND cache_write_n BETWEEN 0 AND 1000000000000)) AND (output_raw IS NULL OR (output_n IS NOT NULL AND output_n BETWEEN 0 AND 1000000000000))
      AND (is_failed = 1 OR (input_raw IS NOT NULL AND output_raw IS NOT NULL))
    THEN 1 ELSE 0 END AS ok
  FROM typed
),
marked AS (
  SELECT *,
    CASE WHEN ok = 1 AND concat(substr(ts, 1, 10), 'T', substr(ts, 12, 8)) >= '2026-11-01T00:00:00' AND concat(substr(ts, 1, 10), 'T', substr(ts, 12, 8)) < '2026-12-01T00:00:00' THEN 1 ELSE 0 END AS inside,
    coalesce(input_n, 0) + coalesce(cache_read_n, 0) + coalesce(cache_write_n, 0) AS prompt
  FROM checked
)
SELECT
  CASE WHEN inside = 1 THEN substr(ts, 1, 10) END AS day,
  CASE WHEN inside = 1 THEN model_id END AS model_id,
  CASE WHEN inside = 1 THEN region END AS region,
  CASE WHEN inside = 1 THEN service_tier END AS service_tier,
  CASE WHEN inside = 1 THEN CASE WHEN prompt > 272000 THEN 272000 WHEN prompt > 200000 THEN 200000 WHEN prompt > 100000 THEN 100000 ELSE 0 END END AS prompt_over,
  CASE WHEN inside = 1 THEN CASE WHEN coalesce(cache_read_n, 0) > 0 THEN 1 ELSE 0 END END AS reads_cache,
  CASE WHEN inside = 1 THEN CASE WHEN coalesce(cache_write_n, 0) > 0 THEN 1 ELSE 0 END END AS writes_cache,
  CASE WHEN inside = 1 THEN `tag:team` END AS `tag:team`,
  CASE WHEN inside = 1 THEN `principal_arn` END AS `principal_arn`,
  CASE WHEN inside = 1 THEN `tag:cost-center` END AS `tag:cost-center`,
  CAST(SUM(CASE WHEN inside = 1 AND is_failed = 0 THEN 1 ELSE 0 END) AS BIGINT) AS records,
  CAST(SUM(CASE WHEN inside = 1 AND is_failed = 1 THEN 1 ELSE 0 END) AS BIGINT) AS failed,
  CAST(SUM(CASE WHEN ok = 1 THEN 0 ELSE 1 END) AS BIGINT) AS malformed,
  CAST(SUM(CASE WHEN ok = 1 AND inside = 0 THEN 1 ELSE 0 END) AS BIGINT) AS outside_period,
  CAST(SUM(CASE WHEN inside = 1 AND is_failed = 0 THEN coalesce(input_n, 0) ELSE 0 END) AS BIGINT) AS input_tokens,
  CAST(SUM(CASE WHEN inside = 1 AND is_failed = 0 THEN coalesce(cache_read_n, 0) ELSE 0 END) AS BIGINT) AS cache_read_tokens,
  CAST(SUM(CASE WHEN inside = 1 AND is_failed = 0 THEN coalesce(cache_write_n, 0) ELSE 0 END) AS BIGINT) AS cache_write_tokens,
  CAST(SUM(CASE WHEN inside = 1 AND is_failed = 0 THEN coalesce(output_n, 0) ELSE 0 END) AS BIGINT) AS output_tokens,
  MIN(CASE WHEN inside = 1 THEN concat(substr(ts, 1, 10), 'T', substr(ts, 12, 8), substr(ts, 20, length(ts) - 20)) END) AS first_time,
  MAX(CASE WHEN inside = 1 THEN concat(substr(ts, 1, 10), 'T', substr(ts, 12, 8), substr(ts, 20, length(ts) - 20)) END) AS last_time,
  '100000,200000,272000' AS thresholds
FROM marked
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
ORDER BY 1 NULLS LAST, 2 NULLS LAST, 3 NULLS LAST, 4 NULLS LAST, 5 NULLS LAST, 6 NULLS LAST, 7 NULLS LAST, 8 NULLS LAST, 9 NULLS LAST, 10 NULLS LAST
--- stderr
note: left out usage/logs/AWSLogs/123456789012/BedrockModelInvocationLogs/us-east-1/2026/11/03/14/amazon-bedrock-logs-permission-check (permission-check object)
note: left out usage/logs/AWSLogs/123456789012/BedrockModelInvocationLogs/us-east-1/2026/11/03/14/data/ (body in data/)
note: left out usage/logs/notes.txt (not a log file)
