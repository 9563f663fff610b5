-- GSO monthly exports of goods by main commodity (xk.csv), typed; layout shared with imports
-- (macros/gso_trade.sql). The crude-oil copies of the repo's parser are still here (deduplicated in
-- int_trade_goods_monthly_deduplicated, which needs every copy to compare them).
{{ gso_goods_trade_staging('exports_goods_monthly', flow='export') }}
