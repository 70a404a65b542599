"""User-facing words in Vietnamese (default) and English. Code and identifiers stay English."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "document": {"vi": "Văn bản", "en": "Document"},
    "type": {"vi": "Loại", "en": "Kind"},
    "symbol": {"vi": "Số/ký hiệu", "en": "Number/symbol"},
    "date": {"vi": "Ngày", "en": "Date"},
    "year": {"vi": "Năm", "en": "Year"},
    "issuer": {"vi": "Cơ quan ban hành", "en": "Issuer"},
    "jurisdiction": {"vi": "Địa bàn", "en": "Jurisdiction"},
    "signer": {"vi": "Người ký", "en": "Signer"},
    "not_before": {"vi": "Không sớm hơn", "en": "Not before"},
    "implements": {"vi": "Thực hiện", "en": "Implements"},
    "references": {"vi": "Văn bản được dẫn", "en": "Instruments cited"},
    "mentions": {"vi": "lần", "en": "mentions"},
    "supersessions": {"vi": "Thay thế / bãi bỏ", "en": "Replaces / repeals"},
    "warnings": {"vi": "Lưu ý", "en": "Warnings"},
    "unknown": {"vi": "(không rõ)", "en": "(unknown)"},
    "none": {"vi": "(không có)", "en": "(none)"},
    # `kg map`: the page's words (viz/render.py) and its notes
    "map_title": {"vi": "Bản đồ thực hiện và trích dẫn văn bản", "en": "Cascade map: who implements and cites what"},
    "map_search": {"vi": "Tìm số/ký hiệu, trích yếu…", "en": "Find a symbol or title…"},
    "map_search_go": {"vi": "Tìm", "en": "Find"},
    "map_all_units": {"vi": "Mọi đơn vị", "en": "All units"},
    "map_all_kinds": {"vi": "Mọi loại văn bản", "en": "All kinds"},
    "map_stale_only": {"vi": "Chỉ trích dẫn đã hết hiệu lực", "en": "Stale citations only"},
    "map_reset": {"vi": "Hiện tất cả", "en": "Show all"},
    "map_shown": {"vi": "nút đang hiện", "en": "nodes shown"},
    "map_legend": {"vi": "Chú giải", "en": "Legend"},
    "map_notes": {"vi": "Ghi chú", "en": "Notes"},
    "map_details": {"vi": "Chi tiết", "en": "Details"},
    "map_click_hint": {"vi": "Chọn một nút trên bản đồ để xem chi tiết.", "en": "Click a node to see its details."},
    "map_no_match": {"vi": "Không tìm thấy", "en": "No match for"},
    "map_matches": {"vi": "Kết quả tìm kiếm", "en": "Search results"},
    "map_status": {"vi": "Hiệu lực", "en": "Status"},
    "map_status_in_force": {"vi": "Còn hiệu lực", "en": "In force"},
    "map_status_superseded": {"vi": "Đã bị thay thế / hết hiệu lực", "en": "Superseded / no longer in force"},
    "map_status_unknown": {"vi": "Chưa rõ hiệu lực", "en": "Status unknown"},
    "map_status_group": {"vi": "Nhóm văn bản đã gộp", "en": "Aggregated documents"},
    "map_since": {"vi": "Hết hiệu lực từ", "en": "No longer in force from"},
    "map_edges": {"vi": "Quan hệ", "en": "Edges"},
    "map_edge_implements": {"vi": "thực hiện", "en": "implements"},
    "map_edge_cites": {"vi": "trích dẫn", "en": "cites"},
    "map_edge_stale": {"vi": "trích dẫn văn bản đã hết hiệu lực", "en": "cites an instrument no longer in force"},
    "map_edge_replaced": {"vi": "bị thay thế bởi", "en": "replaced by"},
    "map_kinds": {"vi": "Loại văn bản", "en": "Kinds"},
    "map_shape_law": {"vi": "Luật, bộ luật, pháp lệnh", "en": "Laws, codes, ordinances"},
    "map_shape_decree": {"vi": "Nghị định, nghị quyết", "en": "Decrees, resolutions"},
    "map_shape_decision": {"vi": "Quyết định, quy định", "en": "Decisions, regulations"},
    "map_shape_directive": {"vi": "Chỉ thị, thông tri", "en": "Directives, instructions"},
    "map_shape_plan": {"vi": "Kế hoạch, chương trình, đề án", "en": "Plans, programmes, schemes"},
    "map_shape_other": {"vi": "Công văn, thông báo, khác", "en": "Letters, notices, other"},
    "map_shape_group": {"vi": "Nhóm văn bản của một đơn vị", "en": "A unit's documents, grouped"},
    "map_document_border": {"vi": "Viền đậm: văn bản đã nạp; cỡ nút: số văn bản trích dẫn nó",
                            "en": "Thick border: ingested document; size: how often it is cited"},
    "map_levels": {"vi": "Cấp (từ trên xuống)", "en": "Levels (top to bottom)"},
    "map_tier_0": {"vi": "Trung ương (Đảng, Quốc hội, Chính phủ)", "en": "Central party and state bodies"},
    "map_tier_1": {"vi": "Bộ, ngành; tỉnh, thành phố", "en": "Ministries; provinces"},
    "map_tier_2": {"vi": "Sở, ban, ngành; huyện", "en": "Departments; districts"},
    "map_tier_3": {"vi": "Xã, phường, thị trấn", "en": "Communes"},
    "map_level": {"vi": "Cấp", "en": "Level"},
    "map_unit": {"vi": "Đơn vị", "en": "Unit"},
    "map_title_field": {"vi": "Trích yếu", "en": "Title"},
    "map_file": {"vi": "Tệp", "en": "File"},
    "map_cited_by": {"vi": "Được trích dẫn bởi", "en": "Cited by"},
    "map_cited_count": {"vi": "Số văn bản trích dẫn", "en": "Cited by (documents)"},
    "map_stale_count": {"vi": "Trích dẫn văn bản đã hết hiệu lực", "en": "Stale citations it makes"},
    "map_members": {"vi": "Gồm", "en": "Members"},
    "map_documents": {"vi": "văn bản", "en": "documents"},
    "map_more": {"vi": "và {n} văn bản khác", "en": "and {n} more"},
    "map_rel_replaced_by": {"vi": "Bị thay thế bởi", "en": "Replaced by"},
    "map_rel_repealed_by": {"vi": "Bị bãi bỏ bởi", "en": "Repealed by"},
    "map_rel_succeeded_by": {"vi": "Được kế tục bởi", "en": "Succeeded by"},
    "map_rel_successor_unconfirmed": {"vi": "Có thể được thay bởi (chưa xác nhận)",
                                      "en": "Possible successor (unconfirmed)"},
    "map_rel_amended_by": {"vi": "Được sửa đổi bởi", "en": "Amended by"},
    "map_summary": {"vi": "{nodes} nút, {edges} cạnh trên bản đồ; đồ thị đầy đủ: {total_nodes} nút, "
                          "{total_edges} cạnh.",
                    "en": "{nodes} nodes, {edges} edges drawn; the whole graph: {total_nodes} nodes, "
                          "{total_edges} edges."},
    "map_note_focus": {"vi": "Dòng thực hiện của {label}: {depth} cấp lên và xuống, cùng các văn bản trích dẫn nó "
                             "(“{ref}” tìm theo {how}).",
                       "en": "Lineage of {label}: {depth} levels up and down, and the documents citing it "
                             "(“{ref}” matched by {how})."},
    "map_note_candidates": {"vi": "{candidates} văn bản khớp; hiện văn bản được trích dẫn nhiều nhất.",
                            "en": "{candidates} instruments match; showing the most cited."},
    "map_how_iri": {"vi": "IRI", "en": "IRI"},
    "map_how_exact": {"vi": "đúng số/ký hiệu", "en": "exact symbol"},
    "map_how_code": {"vi": "cùng số và mã loại", "en": "same number and code"},
    "map_how_refs": {"vi": "bộ đọc tham chiếu", "en": "the reference parser"},
    "map_note_unit": {"vi": "Văn bản của đơn vị khớp “{unit}” ({documents}) và các văn bản chúng trích dẫn.",
                      "en": "Documents of the units matching “{unit}” ({documents}) and what they cite."},
    "map_note_stale": {"vi": "Chỉ các trích dẫn văn bản đã hết hiệu lực vào ngày ban hành văn bản trích dẫn "
                             "({citations}), và văn bản thay thế.",
                       "en": "Only citations of instruments no longer in force on the citing document's date "
                             "({citations}), and what replaced them."},
    "map_note_units": {"vi": "Đồ thị quá {max} nút: {documents} văn bản được gộp thành {groups} nút, "
                             "mỗi đơn vị một nút.",
                       "en": "More than {max} nodes: {documents} documents are grouped into {groups} nodes, "
                             "one per unit."},
    "map_note_provinces": {"vi": "Vẫn quá nhiều đơn vị: gộp tiếp theo tỉnh ({documents} văn bản thành {groups} nút).",
                           "en": "Still too many units: grouped by province ({documents} documents into "
                                 "{groups} nodes)."},
    "map_note_threshold": {"vi": "Chỉ hiện {kept} văn bản được trích dẫn nhiều nhất, mỗi văn bản từ {threshold} lần "
                                 "trở lên ({hidden} văn bản ít được trích dẫn hơn bị ẩn).",
                           "en": "Only the {kept} most cited instruments are shown, each cited at least {threshold} "
                                 "times ({hidden} less cited ones hidden)."},
    "map_note_truncated": {"vi": "Chỉ hiện các nút nhiều liên kết nhất ({hidden} nút ẩn).",
                           "en": "Only the most connected nodes are shown ({hidden} hidden)."},
    "map_written": {"vi": "Đã ghi bản đồ", "en": "Map written"},
}


def t(key: str, lang: str = "vi") -> str:
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["vi"]
