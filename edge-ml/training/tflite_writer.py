"""Writes a float32 TensorFlow Lite flatbuffer by hand (no converter is available here).

Field slots follow tensorflow/lite/schema/schema.fbs (schema version 3, file identifier "TFL3"):
  Model        0 version, 1 operator_codes, 2 subgraphs, 3 description, 4 buffers
  OperatorCode 0 deprecated_builtin_code (byte), 1 custom_code, 2 version, 3 builtin_code (int)
  SubGraph     0 tensors, 1 inputs, 2 outputs, 3 operators, 4 name
  Tensor       0 shape, 1 type (0 = FLOAT32, 2 = INT32), 2 buffer, 3 name
  Operator     0 opcode_index, 1 inputs, 2 outputs, 3 builtin_options_type, 4 builtin_options
  Buffer       0 data (aligned to 16)
  Conv2DOptions 0 padding (0 SAME, 1 VALID), 1 stride_w, 2 stride_h, 3 fused_activation (1 RELU)
  Pool2DOptions 0 padding, 1 stride_w, 2 stride_h, 3 filter_width, 4 filter_height, 5 fused_activation
  FullyConnectedOptions 0 fused_activation; SoftmaxOptions 0 beta; ReducerOptions 0 keep_dims
BuiltinOptions union types: Conv2D 1, Pool2D 5, FullyConnected 8, Softmax 9, Reducer 27.
Builtin operators: CONV_2D 3, FULLY_CONNECTED 9, MAX_POOL_2D 17, SOFTMAX 25, MEAN 40.
"""
import flatbuffers
import numpy as np

FLOAT32, INT32 = 0, 2
CONV_2D, FULLY_CONNECTED, MAX_POOL_2D, SOFTMAX, MEAN = 3, 9, 17, 25, 40
OPT_CONV, OPT_POOL, OPT_FC, OPT_SOFTMAX, OPT_REDUCER = 1, 5, 8, 9, 27
SAME, VALID = 0, 1
RELU = 1


class Graph:
    def __init__(self):
        self.tensors = []   # (name, shape, type, buffer_index)
        self.buffers = [b""]  # buffer 0: the empty sentinel
        self.ops = []       # (opcode, inputs, outputs, options_type, options_fields)
        self.opcodes = []

    def tensor(self, name, shape, ttype=FLOAT32, data=None):
        buf = 0
        if data is not None:
            self.buffers.append(np.ascontiguousarray(data).astype("<f4" if ttype == FLOAT32 else "<i4").tobytes())
            buf = len(self.buffers) - 1
        self.tensors.append((name, list(shape), ttype, buf))
        return len(self.tensors) - 1

    def op(self, code, inputs, outputs, opt_type, fields):
        if code not in self.opcodes:
            self.opcodes.append(code)
        self.ops.append((self.opcodes.index(code), inputs, outputs, opt_type, fields))

    def serialize(self, inputs, outputs, description):
        b = flatbuffers.Builder(1 << 16)

        def int_vector(values):
            b.StartVector(4, len(values), 4)
            for v in reversed(values):
                b.PrependInt32(int(v))
            return b.EndVector()

        def table(fields):
            """fields: list of (slot, kind, value); kind in i32,u32,i8,u8,bool,f32,off."""
            b.StartObject(max(s for s, _, _ in fields) + 1 if fields else 0)
            for slot, kind, value in fields:
                if kind == "off":
                    b.PrependUOffsetTRelativeSlot(slot, value, 0)
                elif kind in ("i32",):
                    b.PrependInt32Slot(slot, value, 0 if slot != -1 else 0)
                elif kind == "u32":
                    b.PrependUint32Slot(slot, value, 0)
                elif kind == "i8":
                    b.PrependInt8Slot(slot, value, 0)
                elif kind == "u8":
                    b.PrependUint8Slot(slot, value, 0)
                elif kind == "bool":
                    b.PrependBoolSlot(slot, value, False)
                elif kind == "f32":
                    b.PrependFloat32Slot(slot, value, 0.0)
            return b.EndObject()

        # buffers
        buf_offsets = []
        for data in self.buffers:
            if data:
                b.StartVector(1, len(data), 16)
                b.head = b.head - len(data)
                b.Bytes[b.head:b.head + len(data)] = data
                vec = b.EndVector()
                buf_offsets.append(table([(0, "off", vec)]))
            else:
                buf_offsets.append(table([]))
        # tensors
        t_offsets = []
        for name, shape, ttype, buf in self.tensors:
            n = b.CreateString(name)
            s = int_vector(shape)
            t_offsets.append(table([(0, "off", s), (1, "i8", ttype), (2, "u32", buf), (3, "off", n)]))
        # operators
        o_offsets = []
        for idx, ins, outs, opt_type, fields in self.ops:
            opt = table(fields)
            i = int_vector(ins)
            o = int_vector(outs)
            o_offsets.append(table([(0, "u32", idx), (1, "off", i), (2, "off", o), (3, "u8", opt_type), (4, "off", opt)]))
        # opcodes (version 1 of each builtin)
        c_offsets = [table([(0, "i8", c), (2, "i32", 1), (3, "i32", c)]) for c in self.opcodes]

        def off_vector(offs):
            b.StartVector(4, len(offs), 4)
            for off in reversed(offs):
                b.PrependUOffsetTRelative(off)
            return b.EndVector()

        tensors_v = off_vector(t_offsets)
        ops_v = off_vector(o_offsets)
        sg_name = b.CreateString("main")
        sg = table([(0, "off", tensors_v), (1, "off", int_vector(inputs)), (2, "off", int_vector(outputs)),
                    (3, "off", ops_v), (4, "off", sg_name)])
        sgs = off_vector([sg])
        codes = off_vector(c_offsets)
        bufs = off_vector(buf_offsets)
        desc = b.CreateString(description)
        model = table([(0, "u32", 3), (1, "off", codes), (2, "off", sgs), (3, "off", desc), (4, "off", bufs)])
        b.Finish(model, file_identifier=b"TFL3")
        return bytes(b.Output())
