-- GSO monthly imports of goods by main commodity (nk.csv), typed; layout shared with exports
-- (macros/gso_trade.sql). "Trong đó: Nguyên chiếc(*)" rows get their parent item (cars or
-- motorcycles) here; their exact copies (2014-02..2014-04) are deduplicated downstream.
{{ gso_goods_trade_staging('imports_goods_monthly', flow='import') }}
