-- GSO monthly IIP: one row per category and reference month, classified in VSIC 2018, with the
-- revised year-on-year change that the NEXT release gives for the month.
--
-- Duplicates: the 2024-04 and 2024-05 releases list "Sản xuất và phân phối điện" twice with
-- identical values (section D has a single division, 35, and the table printed it as both);
-- identical rows are kept once. Two rows of one (category, month) that differ in any value
-- stop the build - which of them GSO meant cannot be decided here.
--
-- VSIC: GSO's category names are mapped to the whole industry (B-E), the four sections and
-- their divisions by an unaccented name key (old/new tone placement "hoá"/"hóa" both match); a
-- name not in the list stops the build naming it (a new division must be classified, not
-- guessed).
--
-- Revisions: from the December 2018 release on, a release gives the first estimate of its
-- month's year-on-year change and the revised change of the previous month (YOY-Pre-Month); the
-- revision is moved to the month it describes (reference months 2018-11 to 2025-01; none for
-- December, as January releases carry no previous-month column). In the releases before
-- (54 releases, 2014-03 to 2018-11) the same column is NOT the previous month's own change: it
-- lies next to the previous month's YEAR-TO-DATE change (nearer to it than to the monthly change
-- in 84% of category-months, median distance 0.64 points against 3.49; equal to it in all 28
-- categories of the 2014-09 release), i.e. GSO's table then gave the revised cumulative figure.
-- From 2018-12 on it is nearer to the monthly change (69%; median 2.87 points against 4.62). It is not published as a monthly revision, and
-- the repository's "YOY" column, which takes it as one, is dropped in staging.
--
-- January releases 2015, 2016 and 2017: for January the month's change and the year-to-date
-- change are the same figure, but these three releases give two different values in every
-- category (whole industry 2015: -2.77 and 17.50), so their columns do not line up and no value
-- can be put in its column with confidence: these releases are left out. Every other January
-- release has the two equal.
{%- set unmapped -%}
'int_iip_monthly_classified: IIP category "' || iip.category_name_vi || '" (month '
|| iip.reference_month || ') is not a known VSIC section or division; add it to the vsic list'
{%- endset %}
{%- set duplicated -%}
'int_iip_monthly_classified: IIP category "' || iip.category_name_vi || '" has '
|| cast(iip.rows_for_key as varchar) || ' different rows for month ' || iip.reference_month
{%- endset %}
with staged as (
    select * from {{ ref('stg_gso__iip_monthly') }}
),

deduplicated as (
    -- identical rows once; _loaded_at is the same for every row of a load
    select distinct
        category_name_vi,
        mom_change_pct,
        yoy_change_first_estimate_pct,
        ytd_yoy_change_pct,
        previous_month_yoy_change_revised_pct,
        reference_month,
        previous_month,
        release_date
    from staged
),

keyed as (
    select
        deduplicated.*,
        count(*) over (partition by category_name_vi, reference_month) as rows_for_key,
        -- a January release whose month and year-to-date changes differ anywhere is misaligned
        max(case
            when substr(reference_month, 6, 2) = '01'
                and abs(yoy_change_first_estimate_pct - ytd_yoy_change_pct) > 0.005 then 1
            else 0
        end) over (partition by reference_month) as january_release_misaligned
    from deduplicated
),

vsic (category_code, category_level, section_code, name_key_source, category_name_en) as (
    values
        ('B-E', 'total', cast(null as varchar), 'Toàn ngành công nghiệp', 'Industry, total (VSIC sections B-E)'),
        ('B', 'section', 'B', 'Khai khoáng', 'Mining and quarrying'),
        ('05', 'division', 'B', 'Khai thác than cứng và than non', 'Mining of coal and lignite'),
        ('06', 'division', 'B', 'Khai thác dầu thô và khí đốt tự nhiên', 'Extraction of crude petroleum and natural gas'),
        ('07', 'division', 'B', 'Khai thác quặng kim loại', 'Mining of metal ores'),
        ('08', 'division', 'B', 'Khai khoáng khác', 'Other mining and quarrying'),
        ('09', 'division', 'B', 'Hoạt động dịch vụ hỗ trợ khai thác mỏ và quặng', 'Mining support service activities'),
        ('C', 'section', 'C', 'Công nghiệp chế biến, chế tạo', 'Manufacturing'),
        ('10', 'division', 'C', 'Sản xuất, chế biến thực phẩm', 'Manufacture of food products'),
        ('11', 'division', 'C', 'Sản xuất đồ uống', 'Manufacture of beverages'),
        ('12', 'division', 'C', 'Sản xuất sản phẩm thuốc lá', 'Manufacture of tobacco products'),
        ('13', 'division', 'C', 'Dệt', 'Manufacture of textiles'),
        ('14', 'division', 'C', 'Sản xuất trang phục', 'Manufacture of wearing apparel'),
        ('15', 'division', 'C', 'Sản xuất da và các sản phẩm có liên quan', 'Manufacture of leather and related products'),
        ('16', 'division', 'C', 'Chế biến gỗ và sản xuất sản phẩm từ gỗ, tre, nứa (trừ giường, tủ, bàn ghế); sản xuất sản phẩm từ rơm, rạ và vật liệu tết bện', 'Manufacture of wood and of products of wood, bamboo and rattan, except furniture; articles of straw and plaiting materials'),
        ('17', 'division', 'C', 'Sản xuất giấy và sản phẩm từ giấy', 'Manufacture of paper and paper products'),
        ('18', 'division', 'C', 'In, sao chép bản ghi các loại', 'Printing and reproduction of recorded media'),
        ('19', 'division', 'C', 'Sản xuất than cốc, sản phẩm dầu mỏ tinh chế', 'Manufacture of coke and refined petroleum products'),
        ('20', 'division', 'C', 'Sản xuất hoá chất và sản phẩm hoá chất', 'Manufacture of chemicals and chemical products'),
        ('21', 'division', 'C', 'Sản xuất thuốc, hoá dược và dược liệu', 'Manufacture of pharmaceuticals, medicinal chemical and botanical products'),
        ('22', 'division', 'C', 'Sản xuất sản phẩm từ cao su và plastic', 'Manufacture of rubber and plastics products'),
        ('23', 'division', 'C', 'Sản xuất sản phẩm từ khoáng phi kim loại khác', 'Manufacture of other non-metallic mineral products'),
        ('24', 'division', 'C', 'Sản xuất kim loại', 'Manufacture of basic metals'),
        ('25', 'division', 'C', 'Sản xuất sản phẩm từ kim loại đúc sẵn (trừ máy móc, thiết bị)', 'Manufacture of fabricated metal products, except machinery and equipment'),
        ('26', 'division', 'C', 'Sản xuất sản phẩm điện tử, máy vi tính và sản phẩm quang học', 'Manufacture of computer, electronic and optical products'),
        ('27', 'division', 'C', 'Sản xuất thiết bị điện', 'Manufacture of electrical equipment'),
        ('28', 'division', 'C', 'Sản xuất máy móc, thiết bị chưa được phân vào đâu', 'Manufacture of machinery and equipment n.e.c.'),
        ('29', 'division', 'C', 'Sản xuất xe có động cơ', 'Manufacture of motor vehicles, trailers and semi-trailers'),
        ('30', 'division', 'C', 'Sản xuất phương tiện vận tải khác', 'Manufacture of other transport equipment'),
        ('31', 'division', 'C', 'Sản xuất giường, tủ, bàn, ghế', 'Manufacture of furniture'),
        ('32', 'division', 'C', 'Công nghiệp chế biến, chế tạo khác', 'Other manufacturing'),
        ('33', 'division', 'C', 'Sửa chữa, bảo dưỡng và lắp đặt máy móc, thiết bị', 'Repair and installation of machinery and equipment'),
        ('D', 'section', 'D', 'Sản xuất và phân phối điện', 'Electricity production and distribution (section D, whose only division is 35)'),
        ('E', 'section', 'E', 'Cung cấp nước; hoạt động quản lý và xử lý rác thải, nước thải', 'Water supply; sewerage, waste management and remediation activities'),
        ('36', 'division', 'E', 'Khai thác, xử lý và cung cấp nước', 'Water collection, treatment and supply'),
        ('37', 'division', 'E', 'Thoát nước và xử lý nước thải', 'Sewerage and sewer treatment activities'),
        ('38', 'division', 'E', 'Hoạt động thu gom, xử lý và tiêu huỷ rác thải; tái chế phế liệu', 'Waste collection, treatment and disposal activities; materials recovery')
),

vsic_keyed as (
    select
        vsic.*,
        {{ vn_name_key('vsic.name_key_source') }} as name_key
    from vsic
),

checked as (
    select
        case
            when iip.rows_for_key > 1 then {{ sd_raise_error(duplicated) }}
            when vsic_keyed.category_code is null then {{ sd_raise_error(unmapped) }}
            else vsic_keyed.category_code
        end as category_code,
        vsic_keyed.category_level,
        vsic_keyed.section_code,
        iip.category_name_vi,
        vsic_keyed.category_name_en,
        iip.reference_month,
        iip.release_date,
        iip.mom_change_pct,
        iip.yoy_change_first_estimate_pct,
        iip.ytd_yoy_change_pct
    from keyed as iip
    left join vsic_keyed
        on {{ vn_name_key('iip.category_name_vi') }} = vsic_keyed.name_key
    where iip.january_release_misaligned = 0
),

revisions as (
    -- the next release's revised change of its previous month, keyed by the month it describes
    select
        category_name_vi,
        previous_month as reference_month,
        previous_month_yoy_change_revised_pct as yoy_change_revised_pct,
        release_date as revision_release_date
    from deduplicated
    where previous_month_yoy_change_revised_pct is not null
        -- before this release the column is the previous month's year-to-date change (see above)
        and release_date >= cast('2018-12-01' as date)
)

select
    -- ids
    checked.category_code,
    checked.reference_month,
    -- strings
    checked.category_level,
    checked.section_code,
    checked.category_name_vi,
    checked.category_name_en,
    -- numerics
    checked.mom_change_pct,
    checked.yoy_change_first_estimate_pct,
    revisions.yoy_change_revised_pct,
    checked.ytd_yoy_change_pct,
    -- dates
    checked.release_date,
    revisions.revision_release_date
from checked
left join revisions
    on revisions.category_name_vi = checked.category_name_vi
    and revisions.reference_month = checked.reference_month
