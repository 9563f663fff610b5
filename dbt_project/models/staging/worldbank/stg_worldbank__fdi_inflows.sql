-- BX.KLT.DINV.CD.WD foreign direct investment, net inflows (BoP, current US$), Viet Nam; typing shared by every WB indicator.
{{ worldbank_indicator_staging('fdi_inflows') }}
