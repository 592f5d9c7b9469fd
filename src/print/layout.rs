//! A small page-layout layer: forms are laid out once into positioned text,
//! lines and filled boxes (millimetres, origin top-left, text at its
//! baseline), then drawn by two back-ends — PDF for printing, SVG for the
//! preview the clerk sees before printing. Text widths come from the
//! bundled fonts' advances, so wrapping is identical in both.

use std::sync::OnceLock;

use ttf_parser::Face;

use crate::error::{Error, Result};
use crate::messages as msg;
use crate::text;

pub const PT_TO_MM: f32 = 25.4 / 72.0;

pub const FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/LiberationSerif-Regular.ttf");
pub const FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/LiberationSerif-Bold.ttf");
pub const FONT_ITALIC: &[u8] = include_bytes!("../../assets/fonts/LiberationSerif-Italic.ttf");
pub const FONT_BOLD_ITALIC: &[u8] = include_bytes!("../../assets/fonts/LiberationSerif-BoldItalic.ttf");

/// Characters a font must have before any form is printed with it.
pub const REQUIRED_GLYPHS: &str = "ấầẩẫậếệốộớợứựỹĐđƠơƯư";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl Style {
    pub const ALL: [Style; 4] = [Style::Regular, Style::Bold, Style::Italic, Style::BoldItalic];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn bytes(self) -> &'static [u8] {
        match self {
            Style::Regular => FONT_REGULAR,
            Style::Bold => FONT_BOLD,
            Style::Italic => FONT_ITALIC,
            Style::BoldItalic => FONT_BOLD_ITALIC,
        }
    }

    fn file_name(self) -> &'static str {
        match self {
            Style::Regular => "LiberationSerif-Regular.ttf",
            Style::Bold => "LiberationSerif-Bold.ttf",
            Style::Italic => "LiberationSerif-Italic.ttf",
            Style::BoldItalic => "LiberationSerif-BoldItalic.ttf",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text {
        x: f32,
        y: f32,
        size: f32,
        style: Style,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
    /// A filled black rectangle (QR modules).
    Fill { x: f32, y: f32, w: f32, h: f32 },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
}

/// Marks every page at the top and bottom margins (training offices:
/// "BẢN DÙNG THỬ – KHÔNG CÓ GIÁ TRỊ PHÁP LÝ").
pub fn stamp(pages: &mut [Page], mark: &str) -> Result<()> {
    let fonts = fonts()?;
    let mark = text::nfc(mark);
    let size = 11.0;
    let w = fonts.width(Style::Bold, size, &mark);
    for page in pages {
        for y in [9.0, page.height - 5.0] {
            page.items.push(Item::Text {
                x: (page.width - w) / 2.0,
                y,
                size,
                style: Style::Bold,
                text: mark.clone(),
            });
        }
    }
    Ok(())
}

pub struct Fonts {
    faces: Vec<Face<'static>>,
}

/// The bundled fonts, parsed once and checked for Vietnamese coverage.
pub fn fonts() -> Result<&'static Fonts> {
    static FONTS: OnceLock<std::result::Result<Fonts, (String, char)>> = OnceLock::new();
    let loaded = FONTS.get_or_init(|| {
        let mut faces = Vec::new();
        for style in Style::ALL {
            let face = Face::parse(style.bytes(), 0).map_err(|_| (style.file_name().to_string(), '?'))?;
            if let Some(c) = REQUIRED_GLYPHS.chars().find(|c| face.glyph_index(*c).is_none()) {
                return Err((style.file_name().to_string(), c));
            }
            faces.push(face);
        }
        Ok(Fonts { faces })
    });
    loaded.as_ref().map_err(|(font, c)| Error::Print {
        code: "font_missing_glyph",
        message: msg::font_missing_glyph(font, *c),
    })
}

impl Fonts {
    /// Width in millimetres of `s` set in `style` at `size` points.
    pub fn width(&self, style: Style, size: f32, s: &str) -> f32 {
        let face = &self.faces[style.index()];
        let units = f32::from(face.units_per_em());
        let advance: u32 = s
            .chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map(u32::from)
                    .unwrap_or(0)
            })
            .sum();
        advance as f32 / units * size * PT_TO_MM
    }

    /// Wraps text that may hold explicit line breaks: each line is wrapped
    /// on its own to `width`.
    pub fn wrap_lines(&self, style: Style, size: f32, s: &str, width: f32) -> Vec<String> {
        s.split('\n')
            .flat_map(|line| self.wrap(style, size, line, width, width))
            .collect()
    }

    /// Greedy wrap on spaces; a word longer than the line is cut by characters.
    pub fn wrap(&self, style: Style, size: f32, s: &str, first_width: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut current = String::new();
        let limit = |lines: &Vec<String>| if lines.is_empty() { first_width } else { width };
        for word in s.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if current.is_empty() {
                word.to_string()
            } else {
                format!("{current} {word}")
            };
            if self.width(style, size, &candidate) <= limit(&lines) {
                current = candidate;
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            // The word alone may still be too long: cut it.
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if self.width(style, size, &piece) > limit(&lines) && piece.chars().count() > 1 {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            current = piece;
        }
        if !current.is_empty() || lines.is_empty() {
            lines.push(current);
        }
        lines
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Paper {
    A4,
    A5,
}

impl Paper {
    pub fn name(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::A5 => "A5",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// A column of a [`Sheet::table`]: title, share of the width, alignment.
pub struct Column<'a> {
    pub title: &'a str,
    pub share: f32,
    pub align: Align,
}

/// Lays out a form top to bottom, starting new pages as needed.
pub struct Sheet {
    pub fonts: &'static Fonts,
    pub pages: Vec<Page>,
    pub width: f32,
    pub height: f32,
    pub left: f32,
    pub right: f32,
    top: f32,
    bottom: f32,
    /// Body text size in points.
    pub size: f32,
    /// Line height as a multiple of the type size.
    pub leading: f32,
    /// Baseline of the last line written.
    pub y: f32,
}

impl Sheet {
    /// Margins follow Decree 30/2020 on A4 (left 30, right 15, top and
    /// bottom 20 mm); A5 scales margins and type down.
    pub fn new(paper: Paper) -> Result<Sheet> {
        match paper {
            // Single line spacing (Decree 30/2020 allows single to 1.5 lines):
            // a receipt with an organisation and its submitter fits one sheet.
            Paper::A4 => {
                Sheet::with_page(210.0, 297.0, (30.0, 15.0, 20.0, 20.0), 13.0).map(|s| Sheet { leading: 1.2, ..s })
            }
            // A counter's half sheet: one copy of any receipt must fit.
            Paper::A5 => {
                Sheet::with_page(148.0, 210.0, (15.0, 10.0, 10.0, 10.0), 9.5).map(|s| Sheet { leading: 1.2, ..s })
            }
        }
    }

    /// A4 turned sideways, for wide registers such as the tracking book.
    pub fn a4_landscape() -> Result<Sheet> {
        Sheet::with_page(297.0, 210.0, (20.0, 15.0, 15.0, 15.0), 10.0)
    }

    /// A page of `width` × `height` mm with margins (left, right, top,
    /// bottom) and body text of `size` points.
    fn with_page(width: f32, height: f32, margins: (f32, f32, f32, f32), size: f32) -> Result<Sheet> {
        let (left, right, top, bottom) = margins;
        Ok(Sheet {
            fonts: fonts()?,
            pages: vec![Page {
                width,
                height,
                items: Vec::new(),
            }],
            width,
            height,
            left,
            right: width - right,
            top,
            bottom: height - bottom,
            size,
            leading: 1.3,
            y: top,
        })
    }

    pub fn content_width(&self) -> f32 {
        self.right - self.left
    }

    pub fn line_height(&self, size: f32) -> f32 {
        size * PT_TO_MM * self.leading
    }

    fn page(&mut self) -> &mut Page {
        let (width, height) = (self.width, self.height);
        if self.pages.is_empty() {
            self.pages.push(Page {
                width,
                height,
                items: Vec::new(),
            });
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    pub fn new_page(&mut self) {
        self.pages.push(Page {
            width: self.width,
            height: self.height,
            items: Vec::new(),
        });
        self.y = self.top;
    }

    /// Makes room for `height` mm below the current line.
    pub fn ensure(&mut self, height: f32) {
        if self.y + height > self.bottom {
            self.new_page();
        }
    }

    pub fn gap(&mut self, mm: f32) {
        self.y += mm;
    }

    /// Text with its baseline at `y`, NFC-normalised.
    pub fn text_at(&mut self, x: f32, y: f32, size: f32, style: Style, s: &str, align: Align) {
        let s = text::nfc(s);
        let w = self.fonts.width(style, size, &s);
        let x = match align {
            Align::Left => x,
            Align::Center => x - w / 2.0,
            Align::Right => x - w,
        };
        self.page().items.push(Item::Text {
            x,
            y,
            size,
            style,
            text: s,
        });
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        self.page().items.push(Item::Line { x1, y1, x2, y2, width });
    }

    pub fn fill(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.page().items.push(Item::Fill { x, y, w, h });
    }

    /// A wrapped paragraph between `x` and the right margin, advancing the
    /// cursor one line per line written.
    pub fn paragraph(&mut self, s: &str, size: f32, style: Style, align: Align) {
        let width = self.content_width();
        let lines = self.fonts.wrap(style, size, &text::nfc(s), width, width);
        for l in lines {
            self.y += self.line_height(size);
            self.ensure(0.0);
            let x = match align {
                Align::Left => self.left,
                Align::Center => (self.left + self.right) / 2.0,
                Align::Right => self.right,
            };
            self.text_at(x, self.y, size, style, &l, align);
        }
    }

    /// "Label: value" with the label in `label_style`; the value wraps to
    /// the full width on following lines.
    pub fn labelled(&mut self, label: &str, value: &str, size: f32, label_style: Style, value_style: Style) {
        let label = text::nfc(label);
        let label_w = self.fonts.width(label_style, size, &format!("{label} "));
        let width = self.content_width();
        let lines = self
            .fonts
            .wrap(value_style, size, &text::nfc(value), (width - label_w).max(10.0), width);
        for (i, l) in lines.iter().enumerate() {
            self.y += self.line_height(size);
            self.ensure(0.0);
            if i == 0 {
                let (left, y) = (self.left, self.y);
                self.text_at(left, y, size, label_style, &label, Align::Left);
                self.text_at(left + label_w, y, size, value_style, l, Align::Left);
            } else {
                let (left, y) = (self.left, self.y);
                self.text_at(left, y, size, value_style, l, Align::Left);
            }
        }
    }

    /// A ruled table whose cells wrap; header row in bold. Rows never split
    /// across pages; the header is repeated on a new page.
    pub fn table(&mut self, columns: &[Column], rows: &[Vec<String>], size: f32) {
        let total: f32 = columns.iter().map(|c| c.share).sum();
        let width = self.content_width();
        let widths: Vec<f32> = columns.iter().map(|c| c.share / total * width).collect();
        let pad = 1.2;
        let lh = self.line_height(size);
        let header: Vec<String> = columns.iter().map(|c| c.title.to_string()).collect();
        self.gap(1.5);
        self.table_row(columns, &widths, &header, size, Style::Bold, pad, lh, true);
        for row in rows {
            let needed = self.row_height(&widths, row, size, Style::Regular, pad, lh);
            if self.y + needed > self.bottom {
                self.new_page();
                self.table_row(columns, &widths, &header, size, Style::Bold, pad, lh, true);
            }
            self.table_row(columns, &widths, row, size, Style::Regular, pad, lh, false);
        }
    }

    fn row_height(&self, widths: &[f32], cells: &[String], size: f32, style: Style, pad: f32, lh: f32) -> f32 {
        let lines = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| self.fonts.wrap_lines(style, size, c, w - 2.0 * pad).len())
            .max()
            .unwrap_or(1);
        lines as f32 * lh + 2.0 * pad
    }

    #[allow(clippy::too_many_arguments)]
    fn table_row(
        &mut self,
        columns: &[Column],
        widths: &[f32],
        cells: &[String],
        size: f32,
        style: Style,
        pad: f32,
        lh: f32,
        header: bool,
    ) {
        let height = self.row_height(widths, cells, size, style, pad, lh);
        let top = self.y;
        let mut x = self.left;
        for ((col, w), cell) in columns.iter().zip(widths).zip(cells) {
            let lines = self.fonts.wrap_lines(style, size, cell, w - 2.0 * pad);
            for (i, l) in lines.iter().enumerate() {
                let baseline = top + pad + lh * (i as f32 + 1.0) - lh * 0.25;
                let align = if header { Align::Center } else { col.align };
                let tx = match align {
                    Align::Left => x + pad,
                    Align::Center => x + w / 2.0,
                    Align::Right => x + w - pad,
                };
                self.text_at(tx, baseline, size, style, l, align);
            }
            self.line(x, top, x, top + height, 0.5);
            x += w;
        }
        self.line(x, top, x, top + height, 0.5);
        self.line(self.left, top, x, top, 0.5);
        self.line(self.left, top + height, x, top + height, 0.5);
        self.y = top + height;
    }

    /// A QR code of `data`, `side` mm wide, top-left at (`x`, `y`).
    pub fn qr(&mut self, x: f32, y: f32, side: f32, data: &str) -> Result<()> {
        let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M).map_err(|e| {
            Error::Print {
                code: "qr_failed",
                message: msg::qr_failed(&e.to_string()),
            }
        })?;
        let n = code.width();
        let module = side / n as f32;
        let colors = code.to_colors();
        for row in 0..n {
            // One rectangle per run of dark modules in the row.
            let mut col = 0;
            while col < n {
                if colors[row * n + col] == qrcode::Color::Dark {
                    let start = col;
                    while col < n && colors[row * n + col] == qrcode::Color::Dark {
                        col += 1;
                    }
                    self.fill(
                        x + start as f32 * module,
                        y + row as f32 * module,
                        (col - start) as f32 * module,
                        module,
                    );
                } else {
                    col += 1;
                }
            }
        }
        Ok(())
    }
}
